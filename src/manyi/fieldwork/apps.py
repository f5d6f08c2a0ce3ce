from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldworkConfig(AppConfig):
    name = "manyi.fieldwork"
    verbose_name = _("第三方用户评价调查")
