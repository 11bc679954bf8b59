"""The documents plugin: Every document the supplier issued, supplier files and the ERP integration API."""
