"""Configuration: profiles, where the sign-in is kept, and files only their owner reads."""
