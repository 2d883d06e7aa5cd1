"""Configuration of the central server."""
