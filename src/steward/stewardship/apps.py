from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StewardshipConfig(AppConfig):
    name = "steward.stewardship"
    label = "stewardship"
    verbose_name = _("Stewardship: records custodians and privacy training")

    def ready(self) -> None:
        from steward.stewardship import checks, signals  # noqa: F401 - connects the login reminder
