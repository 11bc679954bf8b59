"""The orders plugin: Catalogue, comparison, cart, ordering and order tracking."""
