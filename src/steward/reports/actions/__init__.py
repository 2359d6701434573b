"""Writes for reports (design.md §3 rule 2): series and releases (`releases`), research
extracts (`extracts`). Each action validates, raises `ValidationError` with a clear message,
and writes its ledger entry in the same transaction as its rows."""
