"""The core's own pages: dashboard, account, admin."""
