"""Dates and punctuation follow the language shown: Chinese marks and 年月日 under Chinese,
half-width marks and "28 Nov 2026" under English."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from manyi.common import punctuation
from manyi.common.templatetags.manyi import cn_date, cn_datetime

# 06:05 UTC is 14:05 in Guangzhou (TIME_ZONE = Asia/Shanghai).
MOMENT = dt.datetime(2026, 11, 28, 6, 5, tzinfo=ZoneInfo("UTC"))


def test_dates_are_chinese_under_chinese():
    with translation.override("zh-hans"):
        assert cn_date(dt.date(2026, 11, 28)) == "2026年11月28日"
        assert cn_datetime(MOMENT) == "2026年11月28日 14:05"


def test_dates_are_english_under_english():
    with translation.override("en"):
        assert cn_date(dt.date(2026, 11, 28)) == "28 Nov 2026"
        assert cn_datetime(MOMENT) == "28 Nov 2026 14:05"


def test_a_moment_shown_as_a_date_is_the_local_day():
    late = dt.datetime(2026, 11, 28, 17, 0, tzinfo=ZoneInfo("UTC"))  # 01:00 on the 29th
    with translation.override("en"):
        assert cn_date(late) == "29 Nov 2026"


def test_no_date_is_an_empty_string():
    assert cn_date(None) == ""
    assert cn_datetime(None) == ""


@pytest.mark.parametrize(
    ("language", "words", "label", "note"),
    [
        ("zh-hans", "品牌、产品", "状态：草稿", "名额（3）"),
        ("en", "品牌, 产品", "状态: 草稿", "名额 (3)"),
    ],
)
def test_punctuation_follows_the_language(language, words, label, note):
    with translation.override(language):
        assert punctuation.join_words(["品牌", "产品"]) == words
        assert punctuation.labelled("状态", "草稿") == label
        assert "名额" + punctuation.bracketed(3) == note


def test_the_template_tags_write_the_language_s_marks():
    template = Template(
        "{% load manyi %}{{ names|join_words }}|{% colon %}|{% comma %}|{{ n|bracketed }}"
        "|{% item_number 2 %}"
    )
    context = {"names": ["甲", "乙"], "n": "<b>"}
    with translation.override("en"):
        assert template.render(Context(context)) == "甲, 乙|: |, | (&lt;b&gt;)|2) "
    with translation.override("zh-hans"):
        assert template.render(Context(context)) == "甲、乙|：|、|（&lt;b&gt;）|2）"
