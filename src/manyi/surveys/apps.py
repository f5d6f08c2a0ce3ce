from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "manyi.surveys"
    verbose_name = _("调查与测评")
