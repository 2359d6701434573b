"""The sharing tests' fixtures live in `factories.py`; importing them here shares them."""

from tests.sharing.factories import client_as, district, users  # noqa: F401
