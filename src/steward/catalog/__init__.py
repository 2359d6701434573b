"""The data catalog: every element Steward holds about a student or guardian (P1, P7)."""
