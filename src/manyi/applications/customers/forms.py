"""The upload form of the customer list (附件3)."""

from django import forms
from django.utils.translation import gettext_lazy


class CustomerListForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("用户名单（Excel .xlsx 文件）"),
        help_text=gettext_lazy("请用下载的模板填写，每行一个用户；不超过 20 MB。"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
