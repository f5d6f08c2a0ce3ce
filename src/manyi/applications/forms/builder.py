"""A Django form made from a form spec (`form_specs`), checked by `form_validation`.

`build_form_class(spec, chosen_trades=…)` gives a form with one field per spec field of the
general and the chosen trade sections, in the printed order, each followed by its optional
"未填原因" companion (``<key>__reason``): 不填之项要说明原因. Every Django field is optional;
what a submission needs is decided by `validate_form`, which ``clean()`` calls, so a draft can
be saved half done and the messages are the same wherever the data comes from.

Stored data is JSON: `to_json()` gives the values (dates as ISO strings, decimals as strings,
whole numbers as ints, empty fields left out), `reasons_json()` the reasons of the fields left
empty, and `initial_from(data, reasons)` turns both back into the form's ``initial``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from manyi.applications.forms.specs import Field, FormSpec, Section
from manyi.applications.forms.validation import (
    FIRST_YEAR,
    PLAIN_DECIMAL_RE,
    active_trades,
    validate_form,
)
from manyi.common.forms import BootstrapMixin

REASON_SUFFIX = "__reason"
REASON_MAX = 200


def reason_key(key: str) -> str:
    return f"{key}{REASON_SUFFIX}"


class SpecForm(BootstrapMixin, forms.Form):
    """Base of the built forms; the class attributes below are set by `build_form_class`."""

    spec: FormSpec
    sections: tuple[Section, ...] = ()
    chosen_trades: frozenset[str] = frozenset()
    data_year: int | None = None

    def __init__(self, *args, for_submission: bool = False, organisation_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.for_submission = for_submission
        self.organisation_name = organisation_name
        today = timezone.localdate()
        for section in self.sections:
            for spec_field in section.fields:
                widget = self.fields[spec_field.key].widget
                if spec_field.kind == "date":
                    widget.attrs["max"] = today.isoformat()
                elif spec_field.kind == "year":
                    widget.attrs["max"] = str(today.year)

    # --- reading and writing JSON --------------------------------------------------------

    def _spec_fields(self):
        return [f for section in self.sections for f in section.fields]

    def _json_values(self) -> dict[str, Any]:
        data = getattr(self, "cleaned_data", {})
        out = {}
        for spec_field in self._spec_fields():
            value = to_json_value(data.get(spec_field.key))
            if value not in (None, "", []):
                out[spec_field.key] = value
        return out

    def _json_reasons(self, values: dict[str, Any]) -> dict[str, str]:
        data = getattr(self, "cleaned_data", {})
        out = {}
        for spec_field in self._spec_fields():
            reason = (data.get(reason_key(spec_field.key)) or "").strip()
            if reason and spec_field.key not in values:
                out[spec_field.key] = reason
        return out

    def to_json(self) -> dict[str, Any]:
        """The values of a valid form as JSON-serialisable data keyed by spec field key."""
        return self._json_values()

    def reasons_json(self) -> dict[str, str]:
        """The stated reasons, only for fields left empty."""
        return self._json_reasons(self._json_values())

    @classmethod
    def initial_from(cls, data: dict | None, reasons: dict | None = None) -> dict[str, Any]:
        """``initial`` for this form from stored data and reasons (keys the form lacks are
        dropped: they belong to a trade section not chosen)."""
        initial: dict[str, Any] = {}
        for key, value in (data or {}).items():
            if key in cls.base_fields:
                initial[key] = value
        for key, reason in (reasons or {}).items():
            if reason_key(key) in cls.base_fields:
                initial[reason_key(key)] = reason
        return initial

    def fieldsets(self) -> list[tuple[Section, list[forms.BoundField]]]:
        """(section, its bound fields with their reason companions), for templates that
        show the printed blocks under their titles."""
        out = []
        for section in self.sections:
            bound = []
            for spec_field in section.fields:
                bound.append(self[spec_field.key])
                if reason_key(spec_field.key) in self.fields:
                    bound.append(self[reason_key(spec_field.key)])
            out.append((section, bound))
        return out

    # --- checking ------------------------------------------------------------------------

    def clean(self):
        cleaned = super().clean()
        values = self._json_values()
        errors = validate_form(
            self.spec,
            values,
            chosen_trades=self.chosen_trades,
            reasons=self._json_reasons(values),
            organisation_name=self.organisation_name,
            for_submission=self.for_submission,
            data_year=self.data_year,
        )
        for key, message in errors.items():
            if key == "__all__":
                self.add_error(None, message)
            elif key in self.fields and key not in self.errors:
                self.add_error(key, message)
        return cleaned


def to_json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list | tuple):
        return [to_json_value(v) for v in value]
    return value


class PlainDecimalField(forms.DecimalField):
    """A DecimalField that takes digits and a decimal point only: Python's Decimal would take
    "1e99" and "NaN", and "1e99" would be printed on the form as a hundred digits."""

    def to_python(self, value):
        if value not in self.empty_values:
            text = str(value).strip().replace(",", "")
            if not PLAIN_DECIMAL_RE.match(text):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            value = text
        return super().to_python(value)


def _django_field(spec_field: Field, data_year: int | None) -> forms.Field:
    label = spec_field.label_with_unit(data_year)
    names = {"label": spec_field.display_label(data_year)}
    common: dict[str, Any] = {"label": label, "required": False, "help_text": spec_field.help}
    kind = spec_field.kind
    # Ranges are shown to the browser but enforced by validate_form, whose messages name the
    # field; Django's own min/max messages would not.
    if kind == "int":
        return forms.IntegerField(
            widget=forms.NumberInput(attrs={"min": 0, "step": 1, "max": spec_field.upper_bound}),
            error_messages={"invalid": _("「%(label)s」应为整数") % names},
            **common,
        )
    if kind in ("decimal", "percent"):
        attrs = {
            "min": 0,
            "step": "any" if kind == "decimal" else "0.01",
            "max": spec_field.upper_bound,
        }
        return PlainDecimalField(
            widget=forms.NumberInput(attrs=attrs),
            error_messages={"invalid": _("「%(label)s」应为数字，例如 1234.56") % names},
            **common,
        )
    if kind == "year":
        return forms.IntegerField(
            widget=forms.NumberInput(attrs={"min": FIRST_YEAR, "step": 1}),
            error_messages={"invalid": _("「%(label)s」应为年份，例如 2015") % names},
            **common,
        )
    if kind == "date":
        return forms.DateField(
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            input_formats=["%Y-%m-%d"],
            error_messages={"invalid": _("「%(label)s」应为有效日期，例如 2017-06-30") % names},
            **common,
        )
    if kind == "email":
        return forms.EmailField(
            max_length=254,
            error_messages={"invalid": _("「%(label)s」不是有效的电子邮箱地址") % names},
            **common,
        )
    if kind in ("phone", "mobile", "postcode"):
        attrs = {"inputmode": "numeric" if kind == "postcode" else "tel"}
        if kind == "postcode":
            attrs.update(maxlength=6, pattern=r"\d{6}")
        else:
            attrs["type"] = "tel"
        return forms.CharField(
            max_length=30, widget=forms.TextInput(attrs=attrs), strip=True, **common
        )
    invalid_choice = {"invalid_choice": _("「%(label)s」的选项无效") % names}
    if kind == "choice" and spec_field.multiple:
        return forms.MultipleChoiceField(
            choices=spec_field.choices,
            widget=forms.CheckboxSelectMultiple,
            error_messages=invalid_choice,
            **common,
        )
    if kind == "choice":
        return forms.ChoiceField(
            choices=[("", gettext_lazy("请选择")), *spec_field.choices],
            error_messages=invalid_choice,
            **common,
        )
    if kind == "yesno":
        return forms.ChoiceField(
            choices=spec_field.choices,
            widget=forms.RadioSelect,
            error_messages=invalid_choice,
            **common,
        )
    # text, textarea: the length limit is the spec's and the message is validate_form's.
    widget = forms.Textarea(attrs={"rows": 3}) if kind == "textarea" else forms.TextInput
    field = forms.CharField(widget=widget, **common)
    if spec_field.text_limit:
        field.widget.attrs["maxlength"] = str(spec_field.text_limit)
    return field


def _reason_field(spec_field: Field, data_year: int | None) -> forms.CharField:
    label = spec_field.display_label(data_year)
    return forms.CharField(
        label=gettext_lazy("未填原因"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.TextInput(
            attrs={
                "aria-label": _("「%(label)s」未填原因") % {"label": label},
                "placeholder": _("不填之项要说明原因"),
                "data-reason-for": spec_field.key,
            }
        ),
    )


def build_form_class(
    spec: FormSpec, *, chosen_trades, data_year: int | None = None
) -> type[SpecForm]:
    """A form class for ``spec`` with the general sections and the chosen trade sections."""
    trades = frozenset(active_trades(spec, chosen_trades))
    sections = spec.active_sections(trades)
    attrs: dict[str, Any] = {
        "spec": spec,
        "sections": sections,
        "chosen_trades": trades,
        "data_year": data_year,
        "__module__": __name__,
    }
    for section in sections:
        for spec_field in section.fields:
            django_field = _django_field(spec_field, data_year)
            if spec_field.required_always:
                # Never left empty, not even with a reason: the label carries the required
                # mark (includes/field.html) although a draft may be saved without it.
                django_field.required_mark = True
                django_field.widget.attrs["aria-required"] = "true"
            attrs[spec_field.key] = django_field
            if not spec_field.required_always and not spec_field.required_if:
                attrs[reason_key(spec_field.key)] = _reason_field(spec_field, data_year)
    name = f"{spec.code.title()}Form"
    return type(name, (SpecForm,), attrs)
