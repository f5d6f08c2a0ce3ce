"""The launch form: the fieldwork assignment form with titles in place of applications."""

from django.utils.translation import gettext_lazy as _

from manyi.fieldwork.sampling.forms import AssignForm, IdsField


class TitleIdsField(IdsField):
    default_error_messages = {
        "required": _("请至少选择一个称号"),
        "invalid": _("选择的称号无效，请刷新页面后重新选择"),
    }


class LaunchForm(AssignForm):
    applications = None  # the titles are chosen instead
    titles = TitleIdsField(label=_("称号"))

    field_order = ["titles"]
