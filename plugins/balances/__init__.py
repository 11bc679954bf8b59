"""The balances plugin.

Customer balance, balance by orders, account statement and reconciliations.
"""
