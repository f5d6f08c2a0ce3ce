"""The QR code of an own survey's collection link (segno, error correction M).

Imported by the pages that show or download it only, like the certificates' QR code.
"""

import io


def link_qr_svg(url: str) -> str:
    """An SVG data URI to show on the page (the CSP allows data: images)."""
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def link_qr_png(url: str) -> bytes:
    """A PNG large enough to print on a poster or a receipt (about 10 px a module)."""
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=10, border=4)
    return buffer.getvalue()
