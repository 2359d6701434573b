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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
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
                # Checkpoint the WAL every ~40 MB instead of every 4 MB: index pages that many
                # commits dirty in turn are copied into the database once, not once per commit
                # (a 1.6x faster audit append in benchmarks/audit_bench.py).
                "PRAGMA wal_autocheckpoint=10000;"
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

# [auth] Lockout, MFA, session expiry, re-authentication.

# [oidc] Single sign-on for staff.

# [controls] Content Security Policy, HTTPS, rate limits.

# [crypto] Encryption at rest.
