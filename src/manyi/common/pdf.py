"""PDF documents from HTML templates (WeasyPrint), with the Chinese font embedded.

The font comes from the system (Debian's fonts-noto-cjk, installed by `make fonts`);
WeasyPrint embeds the subset of glyphs each document uses, so the PDF reads the same anywhere.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

# The programme's forms are Chinese documents whatever language the person reads the site in.
OFFICIAL_LANGUAGE = "zh-hans"


def render_pdf(
    template: str, context: dict, *, request=None, language: str | None = OFFICIAL_LANGUAGE
) -> bytes:
    """The template as a PDF, rendered in `language` (Chinese unless told otherwise; None
    keeps the active language, for documents such as the measurement report that follow the
    reader's choice)."""
    from weasyprint import HTML

    with translation.override(language or translation.get_language()):
        html = render_to_string(template, context, request=request)
    base = str(settings.SRC_DIR / "static")
    return HTML(string=html, base_url=base).write_pdf()
