"""Django settings for Steward; everything configurable comes from the environment (design §4)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
import django.conf.locale
from django.utils.translation import gettext_lazy as _

from steward import config

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = config.data_dir()

SECRET_KEY = config.secret_key()
DEBUG = config.env_flag("STEWARD_DEBUG")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("STEWARD_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "steward.roster",
    "steward.accounts",
    "steward.audit",
    "steward.officer",
    "steward.catalog",
    "steward.records",
    "steward.stewardship",
    "steward.access",
    "steward.portal",
    "steward.media",
    "steward.rights",
    "steward.consents",
    "steward.amendments",
    "steward.vendors",
    "steward.sharing",
    "steward.rostering",
    "steward.requests",
    "django_tasks",
    "django_tasks_db",
    "steward.retention",
    "steward.reports",
    # Hardening (#10): lockout, one-time passwords.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "steward.security",
    # django-csp: its system checks catch settings in the pre-4.0 form.
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The Content Security Policy on every response without one of its own ([controls] below).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Sets request.user.is_verified() from the session's one-time-password device.
    "django_otp.middleware.OTPMiddleware",
    "steward.audit.middleware.RequestIdMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Ends idle and over-age sessions, then holds a signed-in user who owes a second factor on
    # the MFA pages (R33, R116(1)); both need the session, the user and messages above.
    "steward.security.sessions.SessionExpiryMiddleware",
    "steward.security.auth_middleware.MFARequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

# Django-axes first: it refuses a locked-out login before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "steward.urls"
WSGI_APPLICATION = "steward.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database() -> dict[str, Any]:
    db: dict[str, Any] = dj_database_url.parse(  # type: ignore[assignment]
        config.database_url(), conn_max_age=60
    )
    if db["ENGINE"] == "django.db.backends.sqlite3":
        db["CONN_MAX_AGE"] = 0
        db["OPTIONS"] = {
            # IMMEDIATE: a writer takes the lock at BEGIN, so two writers queue on the busy
            # timeout instead of failing with "database is locked" on lock upgrade.
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA cache_size=-200000;"
                "PRAGMA temp_store=MEMORY;"
                # Checkpoint the WAL every ~160 MB instead of every 4 MB: index pages that many
                # commits dirty in turn are copied into the database once, not once per commit
                # (audit appends in benchmarks/audit_bench.py: 1.6x faster at 40 MB, about 5%
                # more at 160 MB). The WAL file keeps that size between checkpoints.
                "PRAGMA wal_autocheckpoint=40000;"
            ),
        }
    return db


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Background jobs (docs/tasks.md): kept in the database, run by `steward worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# E-mail (portal invitations): the console unless the district configures a backend.
EMAIL_BACKEND = os.environ.get(
    "STEWARD_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("STEWARD_FROM_EMAIL", "steward@localhost")
# The address families reach Steward at, for links in e-mails.
STEWARD_PUBLIC_URL = os.environ.get("STEWARD_PUBLIC_URL", "http://127.0.0.1:8000")
# Show families their own staff's reads of the record in the portal's log too. R66 lets the
# district leave them out (603 CMR 23.07(1)); "on" is the more transparent choice.
STEWARD_FAMILY_LOG_STAFF_READS = config.env_flag("STEWARD_FAMILY_LOG_STAFF_READS")
# Days to answer an access request: Massachusetts "within ten days" (R25), capped at FERPA's 45
# by steward.requests.policy.
STEWARD_MA_ACCESS_DAYS = int(os.environ.get("STEWARD_MA_ACCESS_DAYS", "10"))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("pt-br", _("Brazilian Portuguese")),
    ("ht", _("Haitian Creole")),
]
# Django has no Haitian Creole: register it as Kolibri does, so that get_language_info("ht")
# and the language switcher know its name.
EXTRA_LANG_INFO = {
    "ht": {"bidi": False, "code": "ht", "name": "Haitian Creole", "name_local": "Kreyòl ayisyen"},
}
django.conf.locale.LANG_INFO.update(EXTRA_LANG_INFO)
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Secure defaults (design.md §6); the HTTPS-only flags switch on outside debug when
# STEWARD_HTTPS is set, because the demo serves plain HTTP on loopback.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if config.env_flag("STEWARD_HTTPS"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# ---------------------------------------------------------------------------------------------
# Hardening (#10, docs/security.md). Each block below belongs to one part of the work.

# [auth] Lockout, MFA, session expiry, re-authentication (R33, R116(1); steward.security).
import datetime as _dt  # noqa: E402

from steward.security import auth_config as _auth  # noqa: E402

# django-axes: STEWARD_LOGIN_FAILURE_LIMIT failed sign-ins for one username from one address lock
# that pair out for STEWARD_LOCKOUT_MINUTES; a further failure meanwhile restarts the wait. Keyed
# on the pair, not the address alone: a school's staff share one public address.
AXES_FAILURE_LIMIT = config.env_int("STEWARD_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = _dt.timedelta(minutes=config.env_int("STEWARD_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "steward.security.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# Spraying many usernames from one address: after this many failures from it within the lockout
# window, every sign-in from it is refused until the window passes (steward.security.lockout).
STEWARD_LOGIN_ADDRESS_LIMIT = config.env_int("STEWARD_LOGIN_ADDRESS_LIMIT", 50)
# "required" (default) or "offered" (the demo): who must use a second factor (steward.security.mfa).
STEWARD_MFA = _auth.mfa_mode()
OTP_TOTP_ISSUER = os.environ.get("STEWARD_OTP_ISSUER", "Steward")
# Sessions end after STEWARD_SESSION_IDLE_MINUTES without a request, and STEWARD_SESSION_MAX_HOURS
# after sign-in whatever the activity (steward.security.sessions); the cookie dies with them.
STEWARD_SESSION_IDLE_MINUTES = config.env_int("STEWARD_SESSION_IDLE_MINUTES", 30)
STEWARD_SESSION_MAX_HOURS = config.env_int("STEWARD_SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = STEWARD_SESSION_MAX_HOURS * 3600
# Exports, break-glass and bulk downloads ask for the password (and a code) again when the last
# one is older than this (steward.security.reauth).
STEWARD_REAUTH_MINUTES = config.env_int("STEWARD_REAUTH_MINUTES", 10)

# [oidc] Single sign-on for staff (R33, R116(1); steward.security.oidc). Off unless the district
# sets STEWARD_OIDC_ISSUER, _CLIENT_ID, _CLIENT_SECRET and _EMAIL_DOMAINS (also: _PROVIDER_NAME,
# _EMAIL_CLAIM, _TIMEOUT, or explicit _AUTHORIZATION_ENDPOINT, _TOKEN_ENDPOINT, _JWKS_URI); a
# partial or unsafe configuration stops start-up here with a message naming the variable.
from steward.security.oidc_config import sso_from_environ as _sso_from_environ  # noqa: E402

STEWARD_OIDC = _sso_from_environ(os.environ)
# Always listed, so that SSO sessions stay valid; it never answers password credentials.
AUTHENTICATION_BACKENDS.append("steward.security.oidc.StaffOIDCBackend")

# [controls] Content Security Policy, HTTPS, rate limits, uploads (R116; docs/security.md).
from steward.security import control_env as _controls  # noqa: E402
from steward.security import csp as _csp  # noqa: E402

# Nothing inline, nothing from elsewhere (steward.security.csp). With single sign-on on, a
# form may lead to the identity provider (browsers apply `form-action` to the redirects after a
# submission), so its origin is allowed there. Browsers report violations to
# STEWARD_CSP_REPORT_URI when the district runs a collector.
CONTENT_SECURITY_POLICY = _csp.policy(
    form_targets=(
        [STEWARD_OIDC.issuer, STEWARD_OIDC.authorization_endpoint] if STEWARD_OIDC else []
    ),
    report_uri=os.environ.get("STEWARD_CSP_REPORT_URI", ""),
)
# Production is recognised by STEWARD_HTTPS (steward.config.production): the block above turns
# on secure cookies, HSTS, the HTTPS redirect and the proxy's scheme header, and secrets then
# come only from the environment (config.secret). HSTS preload is the domain owner's commitment
# (every subdomain, for months, in browsers' built-in lists): on only with STEWARD_HSTS_PRELOAD,
# and when off, the deploy check that asks for it (security.W021) is a decision, not a defect.
if config.production():
    SECURE_HSTS_PRELOAD = config.env_flag("STEWARD_HSTS_PRELOAD")
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "security.W021"]
# The cache that counts rate limits (steward.security.ratelimits): STEWARD_CACHE_URL locmem://
# (default: one `steward serve` process, its threads share it) or db:// (shared by several
# processes; the table is created by `steward migrate`).
CACHES = {"default": _controls.cache_from_url(os.environ.get("STEWARD_CACHE_URL", ""))}
RATELIMIT_USE_CACHE = "default"
RATELIMIT_CACHE_PREFIX = "steward:rl:"
# OneRoster token endpoint, per client address: a well-behaved client asks once an hour; 30 a
# minute is ample and stops secret guessing cold. Data endpoints, per API client: a nightly sync
# of a big district pages through about a million users 1,000 at a time, and 1,200 a minute
# finishes it well within an hour without letting one client crowd out the others.
STEWARD_ROSTERING_TOKEN_RATE = _controls.env_rate("STEWARD_ROSTERING_TOKEN_RATE", "30/m")
STEWARD_ROSTERING_CLIENT_RATE = _controls.env_rate("STEWARD_ROSTERING_CLIENT_RATE", "1200/m")
# Uploads (steward.security.uploads): PDF documents, and registry files (CSV or JSON).
STEWARD_UPLOAD_MAX_BYTES = _controls.env_megabytes("STEWARD_UPLOAD_MAX_MB", 20)
STEWARD_REGISTRY_UPLOAD_MAX_BYTES = _controls.env_megabytes("STEWARD_REGISTRY_UPLOAD_MAX_MB", 10)

# [crypto] Encryption at rest.
# Keys for the encrypted record parts (R116, docs/security.md): STEWARD_ENCRYPTION_KEYS, comma-
# separated, the first encrypts and all decrypt. Outside production a key is generated once into
# the data directory (0600); in production (STEWARD_HTTPS) a missing key stops Steward here, with
# the reason, rather than letting it write health notes nobody can read back. The backup key
# (STEWARD_BACKUP_KEY) is read by `steward backup` / `steward restore` only.
from django.core.exceptions import ImproperlyConfigured  # noqa: E402

from steward.security import keys as _crypto_keys  # noqa: E402

try:
    STEWARD_ENCRYPTION_KEYS = [
        k.strip() for k in _crypto_keys.record_keys_text().split(",") if k.strip()
    ]
except _crypto_keys.KeyConfigError as _crypto_error:
    raise ImproperlyConfigured(str(_crypto_error)) from None
