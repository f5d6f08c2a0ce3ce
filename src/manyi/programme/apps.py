from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "manyi.programme"
    verbose_name = _("年度计划与公众网站")
