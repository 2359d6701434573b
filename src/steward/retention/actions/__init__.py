"""Writes for retention (design.md §3 rule 2): exits, notices, legal holds and destruction.

Each action validates, raises `ValidationError` with a clear message, and writes its ledger
entry in the same transaction as its rows. Ledger entries about retention carry the scope
`retention` (the retention file itself), so they stay when record parts are destroyed.
"""

SCOPE = "retention"
