from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RosterConfig(AppConfig):
    name = "steward.roster"
    label = "roster"
    verbose_name = _("Roster")

    def ready(self) -> None:
        from steward.roster import signals

        signals.connect()
