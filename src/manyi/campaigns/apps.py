from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "manyi.campaigns"
    verbose_name = _("申报活动")
