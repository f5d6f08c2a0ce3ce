"""Which words of a plan, an activity or an article a reader sees: in English the English
version where staff wrote one, else the Chinese (and the page says it is in Chinese only)."""

from django.utils import translation
from django.utils.text import Truncator

from manyi.programme.news.sanitise import clean_html, plain_text

SUMMARY_CHARS = 120


def in_english() -> bool:
    return (translation.get_language() or "").lower().startswith("en")


def shown(obj, field: str) -> str:
    """`obj.<field>_en` when reading in English and it was written, else `obj.<field>`."""
    if in_english():
        english = (getattr(obj, f"{field}_en", "") or "").strip()
        if english:
            return english
    return getattr(obj, field, "") or ""


def chinese_only(obj, field: str) -> bool:
    """Reading in English, and this text has no English version."""
    return in_english() and not (getattr(obj, f"{field}_en", "") or "").strip()


def shown_body(article) -> str:
    """The article's body in the reader's language, sanitised once more on the way out (it
    was sanitised when saved; this keeps a row written some other way just as harmless)."""
    return clean_html(shown(article, "body"))


def shown_summary(article) -> str:
    """The summary in the reader's language, else the beginning of the body shown."""
    summary = shown(article, "summary")
    if in_english() and not (article.summary_en or "").strip() and (article.body_en or "").strip():
        summary = ""
    if summary:
        return summary
    return Truncator(plain_text(shown(article, "body"))).chars(SUMMARY_CHARS)
