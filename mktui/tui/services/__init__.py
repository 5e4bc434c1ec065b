"""What screens share that is not a screen: the session, intents, receipts, the areas."""
