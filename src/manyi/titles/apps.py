from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TitlesConfig(AppConfig):
    name = "manyi.titles"
    verbose_name = _("评定、公示与称号")
