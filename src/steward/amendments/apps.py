from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AmendmentsConfig(AppConfig):
    name = "steward.amendments"
    label = "amendments"
    verbose_name = _("Amendments, hearings and family statements")

    def ready(self) -> None:
        # Our clocks join the privacy office's deadlines dashboard (steward.requests).
        from steward.amendments import deadlines

        deadlines.register()
