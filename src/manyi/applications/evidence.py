"""The one check every evidence file passes before it is stored: PDF, JPEG or PNG, by content.

The name and the browser's content type are ignored: a file is what its bytes say. PDFs must
start with the PDF header and end with a cross-reference pointer and %%EOF; images are opened
and fully decoded by Pillow, so truncated or forged images are refused. Nothing is written to
disk here; the caller stores the file only after this check passes.
"""

import io
import zlib
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MiB = 1024 * 1024
DEFAULT_MAX_BYTES = 10 * MiB
# An A4 page scanned at 600 dpi has about 35 million pixels; far more than that is not a scan
# but an attempt to make the server decode a huge image.
MAX_PIXELS = 80_000_000
# Where a PDF's trailer must be: writers may add a little whitespace after %%EOF.
PDF_TAIL_BYTES = 1024

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_END = b"IEND\xaeB`\x82"
JPEG_SIGNATURE = b"\xff\xd8\xff"
PDF_SIGNATURE = b"%PDF-"

ACCEPTED = {
    "pdf": ("application/pdf", ".pdf"),
    "jpeg": ("image/jpeg", ".jpg"),
    "png": ("image/png", ".png"),
}


def _not_accepted() -> ValidationError:
    return ValidationError(
        _("文件内容不是 PDF、JPEG 或 PNG（仅凭扩展名无法通过检查）"), code="file_type"
    )


def _damaged() -> ValidationError:
    return ValidationError(_("文件已损坏或不完整"), code="file_damaged")


def _read_all(upload) -> bytes:
    upload.seek(0)
    data = b"".join(upload.chunks()) if hasattr(upload, "chunks") else upload.read()
    upload.seek(0)
    return data


def _kind_of(head: bytes) -> str | None:
    if head.startswith(PDF_SIGNATURE):
        return "pdf"
    if head.startswith(PNG_SIGNATURE):
        return "png"
    if head.startswith(JPEG_SIGNATURE):
        return "jpeg"
    return None


def _check_pdf(data: bytes) -> None:
    tail = data[-PDF_TAIL_BYTES:]
    # A complete PDF ends with "startxref <offset> %%EOF"; a cut-off download does not.
    if b"%%EOF" not in tail or b"startxref" not in tail:
        raise _damaged()
    if b"obj" not in data:
        raise _damaged()


def _png_pixels_complete(data: bytes, limit: int) -> bool:
    """Whether the PNG's image data (the IDAT chunks) is one whole zlib stream."""
    pos, stream = len(PNG_SIGNATURE), zlib.decompressobj()
    produced = 0
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        if kind == b"IDAT":
            pending = data[pos + 8 : pos + 8 + length]
            try:
                while pending and not stream.eof:
                    # Bounded steps: a small file must not expand into gigabytes at once.
                    produced += len(stream.decompress(pending, 1 << 20))
                    pending = stream.unconsumed_tail
                    if produced > limit:
                        return False
            except zlib.error:
                return False
        pos += 12 + length
    return stream.eof


def _jpeg_complete(data: bytes) -> bool:
    """Whether the JPEG's markers lead, segment by segment, to its end-of-image marker.

    Bytes after the end marker are allowed: phones append second pictures and videos there.
    """
    i, n = 2, len(data)
    while i < n:
        if data[i] != 0xFF:
            return False
        while i < n and data[i] == 0xFF:
            i += 1
        if i >= n:
            return False
        marker = data[i]
        i += 1
        if marker == 0xD9:
            return True
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            continue
        if i + 2 > n:
            return False
        length = int.from_bytes(data[i : i + 2], "big")
        if length < 2:
            return False
        i += length
        if marker == 0xDA:
            # Entropy-coded data runs to the next marker that is not stuffing or a restart.
            while True:
                j = data.find(b"\xff", i)
                if j < 0 or j + 1 >= n:
                    return False
                following = data[j + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7:
                    i = j + 2
                elif following == 0xFF:
                    i = j + 1
                else:
                    i = j
                    break
    return False


def _check_image(data: bytes, kind: str) -> None:
    if kind == "png" and not data.endswith(PNG_END):
        # Bytes after IEND are no part of the picture: a truncated file or something appended.
        raise _damaged()
    if kind == "jpeg" and not _jpeg_complete(data):
        raise _damaged()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format != kind.upper():
                raise _not_accepted()
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise ValidationError(_("图片尺寸过大，请以较低分辨率重新扫描"), code="file_pixels")
            probe.verify()
        # Pillow's own truncation check is off in any process that has imported WeasyPrint
        # (it sets ImageFile.LOAD_TRUNCATED_IMAGES), so completeness is also checked here.
        if kind == "png" and not _png_pixels_complete(data, limit=(width * 8 + 8) * height + 1024):
            raise _damaged()
        # verify() does not decode the pixels; loading them finds truncated JPEG data too.
        with Image.open(io.BytesIO(data)) as image:
            if kind == "jpeg":
                # Decode at reduced scale: every byte is still read, at a fraction of the cost.
                image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
            image.load()
    except ValidationError:
        raise
    except Image.DecompressionBombError as exc:
        raise ValidationError(
            _("图片尺寸过大，请以较低分辨率重新扫描"), code="file_pixels"
        ) from exc
    except UnidentifiedImageError as exc:
        raise _damaged() from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise _damaged() from exc


def check_evidence_file(upload, *, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str]:
    """Accept a PDF, JPEG or PNG judged by its content; returns (content type, file suffix).

    Raises ValidationError with a Chinese message for an empty, too large, unknown (however it
    is named), truncated or forged file. The upload is left rewound for storing.
    """
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            _("文件超过 %(mb)s MB") % {"mb": f"{max_bytes / MiB:g}"}, code="file_size"
        )
    data = _read_all(upload)
    if not data:
        raise ValidationError(_("文件是空的"), code="file_empty")
    if len(data) > max_bytes:
        raise ValidationError(
            _("文件超过 %(mb)s MB") % {"mb": f"{max_bytes / MiB:g}"}, code="file_size"
        )
    kind = _kind_of(data[:16])
    if kind is None:
        raise _not_accepted()
    if kind == "pdf":
        _check_pdf(data)
    else:
        _check_image(data, kind)
    return ACCEPTED[kind]


def download_name(name: str, content_type: str, *, fallback: str = "file") -> str:
    """The name a checked file is downloaded under: the uploaded name's stem with the extension
    of the type its content was found to be (a PDF uploaded as `poly.html` is `poly.pdf`).

    A type that is not one of ACCEPTED gets no extension, so no name can make a browser treat
    the download as a page or a program.
    """
    suffix = next((s for t, s in ACCEPTED.values() if t == content_type), "")
    stem = PurePath(name.replace("\\", "/")).stem.strip(" .") if name else ""
    return f"{stem or fallback}{suffix}"
