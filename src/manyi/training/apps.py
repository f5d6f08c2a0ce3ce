from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "manyi.training"
    verbose_name = _("培训与职工技术档案")
