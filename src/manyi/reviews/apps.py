from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "manyi.reviews"
    verbose_name = _("审核与专家评审")
