"""The returns plugin: RMA requests against invoices, goods returns and credit notes."""
