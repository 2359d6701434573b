from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "steward.retention"
    label = "retention"
    verbose_name = _("Retention and destruction of student records")

    def ready(self) -> None:
        from steward.retention import checks  # noqa: F401  (registers the policy check)
