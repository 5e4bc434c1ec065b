"""The Textual console: the app, its screens, widgets and the services screens share."""
