from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficerConfig(AppConfig):
    name = "steward.officer"
    label = "officer"
    verbose_name = _("Privacy office")
