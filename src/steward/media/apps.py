from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "steward.media"
    label = "media"
    verbose_name = _("Media release: photos, video, voice and student work")
