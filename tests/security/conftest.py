"""Fixtures shared by the security tests (#10). Add small fixtures with a distinct prefix."""
