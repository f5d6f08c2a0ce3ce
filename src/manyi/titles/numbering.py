"""Title numbers: GZYH-<year>-<category code>-<sequence>, e.g. GZYH-2026-CP-0007.

A number is never reused: the counter only goes up (a revoked title keeps its number) and the
`Title.number` column is unique. Two grants at once wait for each other on the counter's row
lock instead of reading the same last number.
"""

from django.db import IntegrityError, transaction

from manyi.titles.models import TitleCounter

PREFIX = "GZYH"
# 产品 CP, 品牌 PP, 企业 QY, 工程 GC, 服务 FW: the initials of the category's pinyin.
CATEGORY_CODES = {
    "product": "CP",
    "brand": "PP",
    "enterprise": "QY",
    "engineering": "GC",
    "service": "FW",
}


def next_title_number(*, year: int, category: str) -> str:
    """The next number of the year and category. Call inside the transaction that saves the
    title, so the counter stays locked until the title is written."""
    counter = _locked_counter(year, category)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{PREFIX}-{year}-{CATEGORY_CODES[category]}-{counter.last:04d}"


def _locked_counter(year: int, category: str) -> TitleCounter:
    """The counter row, locked until the caller's transaction ends. When two transactions
    create it at once, the second insert fails on the unique constraint once the first commits;
    it then takes the first's row, under lock."""
    locked = TitleCounter.objects.select_for_update()
    counter = locked.filter(year=year, category=category).first()
    if counter is not None:
        return counter
    try:
        with transaction.atomic():
            TitleCounter.objects.create(year=year, category=category, last=0)
    except IntegrityError:
        pass
    return locked.get(year=year, category=category)
