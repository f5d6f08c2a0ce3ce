"""Details the enterprise already gave are prefilled into its forms.

One source: the organisation's profile, which saving 附件2 keeps up to date
(`services.save_confirmation`). What only 附件2 asks (注册商标) has no place in the profile and
is taken from the applicant's latest 附件2; so is a detail the profile lacks.
"""

from manyi.applications.forms.specs import CONFIRMATION, all_fields, form_spec

# Profile field (a spec field's ``prefill``) → the key 附件2 stores it under.
CONFIRMATION_KEYS = {f.prefill: f.key for f in all_fields(CONFIRMATION) if f.prefill}


def prefilled_form_data(code: str, organisation, confirmation_data: dict | None = None) -> dict:
    """Initial data of form `code`: from the organisation's profile, else from 附件2's data."""
    confirmation_data = confirmation_data or {}
    data = {}
    for field in all_fields(form_spec(code)):
        value = getattr(organisation, field.prefill, None) if field.prefill else None
        if value in (None, "") and code != CONFIRMATION.code:
            key = field.prefill_from_confirmation or CONFIRMATION_KEYS.get(field.prefill)
            value = confirmation_data.get(key) if key else None
        if value not in (None, ""):
            data[field.key] = value if isinstance(value, int | str) else str(value)
    return data
