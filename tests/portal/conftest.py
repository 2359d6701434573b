"""The portal tests reuse the web tests' small district (see tests/web/conftest.py)."""

from tests.web.conftest import client_as, district, users

__all__ = ["client_as", "district", "users"]
