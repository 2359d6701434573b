from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SecurityConfig(AppConfig):
    name = "steward.security"
    label = "security"
    verbose_name = "Security"

    def ready(self) -> None:
        # Sign-in: session stamps at login, ledger entries for lockouts; the deploy check.
        # Controls (deploy): the CSP and trusted-proxy checks; the database cache's table.
        from steward.security import auth_signals, checks, deploy  # noqa: F401

        # For every app migrated, not only this one: post_migrate skips apps without models.
        post_migrate.connect(deploy.create_cache_tables, dispatch_uid="steward-cache-tables")
