"""Adapters of the Karya service: YouTube client, token encryption."""
