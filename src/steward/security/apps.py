from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "steward.security"
    label = "security"
    verbose_name = "Security"

    def ready(self) -> None:
        # Sign-in: session stamps at login, ledger entries for lockouts; the deploy check.
        from steward.security import auth_signals, checks  # noqa: F401
