"""OneRoster 1.1 / 1.2 CSV binding: pure Python, no Django imports (design.md §3 rule 4)."""
