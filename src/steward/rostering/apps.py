from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RosteringConfig(AppConfig):
    name = "steward.rostering"
    label = "rostering"
    verbose_name = _("OneRoster rostering API for vendors")
