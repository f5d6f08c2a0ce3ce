from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfmeasureConfig(AppConfig):
    name = "manyi.selfmeasure"
    verbose_name = _("企业自主测评")
