"""PDF documents from HTML templates (WeasyPrint), with the Chinese font embedded.

The font comes from the system (Debian's fonts-noto-cjk, installed by `make fonts`);
WeasyPrint embeds the subset of glyphs each document uses, so the PDF reads the same anywhere.
"""

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict, *, request=None) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    base = str(settings.SRC_DIR / "static")
    return HTML(string=html, base_url=base).write_pdf()
