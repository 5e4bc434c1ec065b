"""The billing core: money, tax ids, pricing, the billing calendar and card rules. Pure: no IO, no Textual, no httpx."""
