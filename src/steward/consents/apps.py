from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentsConfig(AppConfig):
    name = "steward.consents"
    label = "consents"
    verbose_name = _("Consents: directory information and consent to disclose")
