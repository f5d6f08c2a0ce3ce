"""The QR code of a registrant's check-in link (segno, error correction M), as an SVG data
URI the page shows (the CSP allows data: images)."""


def checkin_qr_svg(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=5, border=2)
