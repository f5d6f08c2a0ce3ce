"""The check every article image passes before it is stored: PNG, JPEG, GIF or WebP, judged by
its bytes, never by its name or the browser's word.

PNG and JPEG go through the check every other upload passes
(`applications.evidence.check_evidence_file`: complete, decodable, not a pixel bomb), with a
PDF refused. GIF and WebP, which only articles accept, get the same kind of check here: the
signature, the container's own end (GIF's trailer, RIFF's declared length), Pillow agreeing on
the format, a pixel limit, and every frame decoded. SVG is never accepted: it can carry script.
"""

import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MiB = 1024 * 1024
MAX_BYTES = 5 * MiB
# A photograph for a web page needs far fewer; more is an attempt to make the server decode
# a huge image.
MAX_PIXELS = 40_000_000
# An animated GIF of a few seconds has tens of frames; thousands would keep the server busy.
MAX_FRAMES = 300

GIF_SIGNATURES = (b"GIF87a", b"GIF89a")
GIF_TRAILER = b";"


def _not_accepted() -> ValidationError:
    return ValidationError(
        _("图片内容不是 PNG、JPEG、GIF 或 WebP（仅凭扩展名无法通过检查）"), code="file_type"
    )


def _damaged() -> ValidationError:
    return ValidationError(_("图片已损坏或不完整"), code="file_damaged")


def _too_big(max_bytes: int) -> ValidationError:
    return ValidationError(
        _("图片超过 %(mb)s MB") % {"mb": f"{max_bytes / MiB:g}"}, code="file_size"
    )


def _read_all(upload) -> bytes:
    upload.seek(0)
    data = b"".join(upload.chunks()) if hasattr(upload, "chunks") else upload.read()
    upload.seek(0)
    return data


def _kind_of(head: bytes) -> str | None:
    if head.startswith(GIF_SIGNATURES):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def _complete(data: bytes, kind: str) -> bool:
    if kind == "gif":
        return data.endswith(GIF_TRAILER)
    declared = int.from_bytes(data[4:8], "little") + 8
    # A RIFF chunk is padded to an even length; some writers leave the pad byte off the end.
    return declared in (len(data), len(data) + 1)


def _check_animated(data: bytes, kind: str) -> None:
    if not _complete(data, kind):
        raise _damaged()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format != kind.upper():
                raise _not_accepted()
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise ValidationError(_("图片尺寸过大，请缩小后再上传"), code="file_pixels")
            frames = getattr(probe, "n_frames", 1)
            if frames > MAX_FRAMES:
                raise ValidationError(_("动图帧数过多"), code="file_frames")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            for frame in range(frames):
                image.seek(frame)
                image.load()
    except ValidationError:
        raise
    except Image.DecompressionBombError as exc:
        raise ValidationError(_("图片尺寸过大，请缩小后再上传"), code="file_pixels") from exc
    except UnidentifiedImageError as exc:
        raise _damaged() from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise _damaged() from exc


def check_article_image(upload, *, max_bytes: int = MAX_BYTES) -> tuple[str, str]:
    """Accept a PNG, JPEG, GIF or WebP image judged by its content; returns (content type,
    file suffix). Raises ValidationError with a Chinese message otherwise. Nothing is written;
    the upload is left rewound for storing."""
    from manyi.applications.evidence import check_evidence_file

    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise _too_big(max_bytes)
    data = _read_all(upload)
    if not data:
        raise ValidationError(_("图片是空的"), code="file_empty")
    if len(data) > max_bytes:
        raise _too_big(max_bytes)
    kind = _kind_of(data[:16])
    if kind is not None:
        _check_animated(data, kind)
        return f"image/{kind}", f".{kind}"
    try:
        content_type, suffix = check_evidence_file(upload, max_bytes=max_bytes)
    except ValidationError as exc:
        if exc.code == "file_type":
            raise _not_accepted() from exc
        raise
    if not content_type.startswith("image/"):
        # A genuine PDF: a document, not a picture for a web page.
        raise _not_accepted()
    return content_type, suffix
