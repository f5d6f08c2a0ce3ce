"""Details the enterprise already gave are prefilled into its forms."""

from manyi.applications.forms.specs import all_fields, form_spec


def prefilled_form_data(code: str, organisation) -> dict:
    data = {}
    for field in all_fields(form_spec(code)):
        if field.prefill:
            value = getattr(organisation, field.prefill, None)
            if value not in (None, ""):
                data[field.key] = value if isinstance(value, int | str) else str(value)
    return data
