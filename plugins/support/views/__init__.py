"""Routes and forms of the support plugin (customer pages and staff pages)."""
