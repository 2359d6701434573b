"""Fixtures shared by the security tests (#10). Add small fixtures with a distinct prefix."""

# Sign-in security (test_auth_*): logins per role and a fast password hasher.
from tests.security.auth_support import auth_fast_hasher, auth_people  # noqa: F401
