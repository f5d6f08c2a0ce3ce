"""What an assigned expert reads of an application on the assignment page: the four materials
texts and the form's key facts (figures and choices; no contact details, which the review
does not need)."""

from dataclasses import dataclass

from manyi.applications.documents.grid import display_value
from manyi.applications.forms.specs import all_fields, form_spec
from manyi.applications.selectors import data_year_of

FACT_KINDS = ("int", "decimal", "percent", "choice", "yesno", "year", "date")


@dataclass(frozen=True)
class Material:
    title: str
    text: str


def materials_of(application) -> list[Material]:
    spec = form_spec(application.category)
    return [
        Material(title=m.printed_for(spec.code), text=getattr(application, m.key) or "")
        for m in spec.materials
    ]


def key_facts(application) -> list[tuple[str, str]]:
    """(label with unit, value) of every filled figure and choice of the form, in form order."""
    spec = form_spec(application.category)
    chosen = list(application.chosen_trades or []) if spec.has_trade_sections else None
    data_year = data_year_of(application)
    data = application.form_data or {}
    facts = []
    for field in all_fields(spec, chosen):
        if field.kind not in FACT_KINDS:
            continue
        value = display_value(field, data.get(field.key))
        if value:
            facts.append((field.label_with_unit(data_year), value))
    return facts
