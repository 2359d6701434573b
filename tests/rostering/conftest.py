"""The rostering tests' fixtures live in `factories.py`; importing them here shares them."""

from tests.rostering.factories import _fresh_api_state, api, world  # noqa: F401
