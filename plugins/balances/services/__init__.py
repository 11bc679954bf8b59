"""The balances plugin's services: periods, the chart, exports (no Flask here), and the one
module that reads the documents plugin's ledger (:mod:`.account`)."""
