"""Punctuation and dates that follow the language shown: Chinese full-width marks and
"2026年11月28日" under Chinese, half-width marks and "28 Nov 2026" under English.

Lists of names, "label: value" pairs and notes in brackets are put together in code and
templates around words that are translated (or are user data). Their marks belong to the
language rather than to any one message, so they are chosen here, once, instead of each
message carrying its own "、" or "：" into the English interface.

The official forms (附件2, 4-x) are Chinese documents: they are rendered under Chinese
(`common.pdf.render_pdf`), so the same helpers print them the Chinese way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.utils import formats, timezone, translation


def is_chinese() -> bool:
    """True when the active language (else the site's) is a Chinese one."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return language.lower().startswith("zh")


def enumeration_comma() -> str:
    """Between the items of a list: 甲、乙 / A, B."""
    return "、" if is_chinese() else ", "


def colon() -> str:
    """After a label: 状态：草稿 / Status: Draft."""
    return "：" if is_chinese() else ": "


def semicolon() -> str:
    return "；" if is_chinese() else "; "


def full_stop() -> str:
    return "。" if is_chinese() else "."


def join_words(items: Iterable) -> str:
    """The items as one list: 甲、乙、丙 / A, B, C."""
    return enumeration_comma().join(str(item) for item in items)


def labelled(label, value) -> str:
    """A label and its value: 状态：草稿 / Status: Draft."""
    return f"{label}{colon()}{value}"


def bracketed(text) -> str:
    """A note in brackets after a word: 名额（3） / quota (3)."""
    return f"（{text}）" if is_chinese() else f" ({text})"


def local_date(value: dt.date | dt.datetime | None) -> str:
    """A date as the language writes it: 2026年11月28日 / 28 Nov 2026."""
    if not value:
        return ""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = timezone.localtime(value)
    if is_chinese():
        return f"{value.year}年{value.month}月{value.day}日"
    return formats.date_format(value, "j M Y")


def local_datetime(value: dt.datetime | None) -> str:
    """A moment as the language writes it: 2026年11月28日 14:05 / 28 Nov 2026 14:05."""
    if not value:
        return ""
    if value.tzinfo is not None:
        value = timezone.localtime(value)
    if is_chinese():
        return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
    return formats.date_format(value, "j M Y H:i")
