"""The documents plugin: every document the supplier issued, supplier files, the ERP API."""
