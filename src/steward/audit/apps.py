from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "steward.audit"
    label = "audit"
    verbose_name = _("Audit ledger")

    def ready(self) -> None:
        from steward.audit import hooks  # noqa: F401 - connects the login and admin signals
