"""What the scoring pages show, built from the rubric, the sheets and the computed values."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError

from manyi.reviews.models import CriterionSource
from manyi.reviews.scoring.computed import Computed
from manyi.reviews.scoring.forms import note_field, score_field
from manyi.reviews.scoring.results import sheet_total


@dataclass
class Row:
    """One criterion of a sheet: the expert's value and comment, or the computed value."""

    criterion: object
    value: object = None
    comment: str = ""
    computed: Computed | None = None

    @property
    def is_computed(self) -> bool:
        return self.criterion.source != CriterionSource.EXPERT

    @property
    def score_name(self) -> str:
        return score_field(self.criterion.code)

    @property
    def note_name(self) -> str:
        return note_field(self.criterion.code)


def sheet_rows(criteria, sheet, details: dict, posted=None) -> list[Row]:
    """The rows of a sheet; with ``posted`` (a refused POST), what the expert typed."""
    typed = {}
    if sheet is not None and sheet.pk:
        typed = {s.criterion_id: s for s in sheet.scores.all()}
    rows = []
    for criterion in criteria:
        if criterion.source != CriterionSource.EXPERT:
            rows.append(Row(criterion, computed=details.get(criterion.code)))
        elif posted is not None:
            rows.append(
                Row(
                    criterion,
                    value=posted.get(score_field(criterion.code), ""),
                    comment=posted.get(note_field(criterion.code), ""),
                )
            )
        else:
            score = typed.get(criterion.pk)
            rows.append(
                Row(
                    criterion,
                    value=score.value if score else None,
                    comment=score.comment if score else "",
                )
            )
    return rows


@dataclass
class SheetView:
    """A sheet as another reader sees it: the label, the sheet, its total and its rows."""

    label: str
    sheet: object
    total: object
    rows: list = field(default_factory=list)


def sheet_views(sheets, criteria, details: dict, label) -> list[SheetView]:
    computed = {code: d.value for code, d in details.items()}
    return [
        SheetView(
            label=label(n, sheet),
            sheet=sheet,
            total=sheet_total(sheet, criteria, computed),
            rows=sheet_rows(criteria, sheet, details),
        )
        for n, sheet in enumerate(sheets, start=1)
    ]


def score_table(criteria, views: list[SheetView]) -> list[dict]:
    """Per criterion: the criterion and, per sheet, its row (so staff read across experts)."""
    return [
        {"criterion": criterion, "cells": [view.rows[i] for view in views]}
        for i, criterion in enumerate(criteria)
    ]


def refusal(action, user, obj) -> str:
    """The words a person would be told if they tried the action now ("" when allowed)."""
    try:
        action.require(user, obj)
    except ValidationError as exc:
        return " ".join(exc.messages)
    except PermissionDenied as exc:
        return str(exc)
    return ""
