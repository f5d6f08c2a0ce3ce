"""Reads of the item bank and the questionnaires. Programme staff read all of them (the views
say who may open the pages); nothing here depends on the person."""

from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404

from manyi.campaigns.categories import Category
from manyi.fieldwork.models import (
    Item,
    Questionnaire,
    QuestionnaireItem,
    QuestionnaireStatus,
)

FROZEN = (QuestionnaireStatus.PUBLISHED, QuestionnaireStatus.RETIRED)


def items():
    """The bank, each item marked `in_use` when a published or retired version carries it
    (``fieldwork.filters.ItemFilter`` narrows it)."""
    return Item.objects.annotate(
        in_use=Exists(
            QuestionnaireItem.objects.filter(item=OuterRef("pk"), questionnaire__status__in=FROZEN)
        )
    ).order_by("purpose", "code")


def item(pk) -> Item:
    return get_object_or_404(Item, pk=pk)


def _counted():
    return Questionnaire.objects.annotate(
        survey_count=Count("surveys", distinct=True), item_count=Count("entries", distinct=True)
    )


def questionnaire(pk) -> Questionnaire:
    return get_object_or_404(_counted(), pk=pk)


def by_category() -> list[dict]:
    """Every category with all its versions, newest first, and how many surveys use each."""
    versions = _counted().order_by("category", "-version")
    grouped: dict[str, list] = {c: [] for c in Category.values}
    for q in versions:
        grouped.setdefault(q.category, []).append(q)
    return [
        {
            "category": value,
            "label": label,
            "versions": grouped[value],
            "published": next(
                (q for q in grouped[value] if q.status == QuestionnaireStatus.PUBLISHED), None
            ),
            "draft": next(
                (q for q in grouped[value] if q.status == QuestionnaireStatus.DRAFT), None
            ),
        }
        for value, label in Category.choices
    ]


def entries_of(questionnaire: Questionnaire) -> list[QuestionnaireItem]:
    return list(questionnaire.entries.select_related("item").order_by("position"))


def items_for_draft(questionnaire: Questionnaire) -> list[tuple[Item, int | None]]:
    """The items a draft may hold, each with its position in the draft (None: not in it):
    the draft's own items first in their order, then the other active items of the bank."""
    positions = dict(questionnaire.entries.values_list("item_id", "position"))
    bank = Item.objects.filter(Q(is_active=True) | Q(pk__in=positions)).order_by("purpose", "code")
    rows = [(item, positions.get(item.pk)) for item in bank]
    return sorted(rows, key=lambda row: (row[1] is None, row[1] or 0))
