from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "steward.access"
    label = "access"
    verbose_name = _("Access")

    def ready(self) -> None:
        from steward.access import signals  # noqa: F401 - connects the break-glass alert
