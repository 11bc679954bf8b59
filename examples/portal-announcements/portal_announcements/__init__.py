"""Supplier announcements for the customer portal (entry point: ``portal_announcements.plugin``)."""
