"""Fixtures shared by test packages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.installations import installation

# Fuzz and load figures (tests/security test_fuzz_*, test_load_*), printed at the end of the run.
# Registered here, not in tests/security/conftest.py: under xdist the controller, which writes the
# summary, loads only this conftest.
from tests.security.load_report import pytest_terminal_summary  # noqa: F401


@pytest.fixture
def scratch_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """An `installation` in a temporary data directory (`steward migrate` it before use)."""
    with installation(tmp_path / "data", "steward_scratch") as env:
        yield env


@pytest.fixture(autouse=True)
def _plain_static_files(settings: object, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Serve static files from the finders: tests never run collectstatic for the manifest."""
    settings.STORAGES = {  # type: ignore[attr-defined]
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.STATIC_ROOT = tmp_path_factory.mktemp("static")  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _keep_the_test_connection_open(monkeypatch: pytest.MonkeyPatch) -> None:
    """`steward` (Django's run_from_argv) closes every connection when a command ends. Inside a
    test that would close the test transaction's connection (PostgreSQL then refuses further
    queries), so tests run the real CLI but leave the connection to pytest-django."""
    from django.core.management import base

    monkeypatch.setattr(base.connections, "close_all", lambda: None)


@pytest.fixture(autouse=True)
def _site_language_by_default() -> Iterator[None]:
    """Every test starts and ends in the site's language. A request made in another language
    leaves that language active in its thread (LocaleMiddleware activates, nothing resets),
    and the next test on the same worker would otherwise read its strings in Spanish."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def mfa_real_flow() -> None:
    """Ask for this in a test of the real second-factor flow: `Client.force_login` then leaves
    the session unverified, as a password sign-in does (see `_mfa_verified_shortcut_login`)."""


@pytest.fixture(autouse=True)
def _mfa_verified_shortcut_login(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`Client.force_login` / `login` stand for a complete sign-in, second factor included.

    MFA stays enforced in every test (R33, R116(1)); for a user who owes a second factor the
    shortcut marks the session verified with a real confirmed TOTP device (made when they have
    none), and fresh for re-authentication. Tests of the real flow use `mfa_real_flow`.
    """
    if "mfa_real_flow" in request.fixturenames:
        return
    from django.test.client import ClientMixin

    original = ClientMixin._login

    def _login(self: ClientMixin, user: object, backend: str | None = None) -> None:
        original(self, user, backend)
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from steward.security import mfa, reauth

        if not (mfa.required_for(user) or mfa.enrolled(user)):
            return
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="test sign-in", confirmed=True)
        session = self.session  # type: ignore[attr-defined]
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        reauth.stamp_code(session)
        session.save()

    monkeypatch.setattr(ClientMixin, "_login", _login)
