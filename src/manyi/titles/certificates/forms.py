from django import forms
from django.utils.translation import gettext_lazy as _


class SealForm(forms.Form):
    seal = forms.FileField(label=_("协会公章图片（PNG 或 JPEG）"))
