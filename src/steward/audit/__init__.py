"""The audit ledger: append-only, hash-chained record of every access and disclosure."""
