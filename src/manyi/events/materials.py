"""The check every event material passes before it is stored: judged by its content, never
its name.

PDF, JPEG and PNG go through the evidence check every upload of the system uses
(`applications.evidence.check_evidence_file`). Slides, minutes and tables from Office are
accepted as the OOXML packages they are (.docx, .pptx, .xlsx): a zip whose central directory
is sane (not encrypted, only stored or deflated entries, bounded sizes and ratios), with
`[Content_Types].xml` and the main part of one of the three, and no macros. The package is
never opened by an Office parser on the server: it is stored and handed back as it came.
Old binary Office files (.doc, .ppt, .xls) are refused with a word on how to save them.
"""

import io
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MiB = 1024 * 1024
MAX_BYTES = 20 * MiB
MAX_ENTRIES = 5_000
MAX_UNCOMPRESSED = 200 * MiB
MAX_RATIO = 200
SMALL_PART = 4 * MiB

ZIP_MAGIC = b"PK\x03\x04"
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
IMAGE_OR_PDF = (b"%PDF-", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")

# The main part of each OOXML document kind: (content type, suffix).
OFFICE = {
    "word/document.xml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
    ),
    "ppt/presentation.xml": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ".pptx",
    ),
    "xl/workbook.xml": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".xlsx",
    ),
}
SUFFIXES = dict(OFFICE.values()) | {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
}


def _not_accepted() -> ValidationError:
    return ValidationError(
        _("文件内容不是 PDF、Word、PowerPoint、Excel 或 JPEG/PNG 图片（仅凭扩展名无法通过检查）"),
        code="file_type",
    )


def _damaged() -> ValidationError:
    return ValidationError(_("文件已损坏或不完整"), code="file_damaged")


def _read(upload) -> bytes:
    upload.seek(0)
    data = b"".join(upload.chunks()) if hasattr(upload, "chunks") else upload.read()
    upload.seek(0)
    return data


def _check_directory(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise _damaged()
    parts: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        key = info.filename.replace("\\", "/").lstrip("/").lower()
        if key in parts:
            raise _damaged()
        parts[key] = info
        if info.flag_bits & 0x1:
            raise ValidationError(_("文件已加密，请另存为未加密的文件后再上传"), code="encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _damaged()
        total += info.file_size
        if total > MAX_UNCOMPRESSED or info.file_size > MAX_RATIO * max(info.compress_size, 1024):
            raise ValidationError(_("文件解压后过大，疑似压缩炸弹，已拒绝"), code="zip_bomb")
    return parts


def _read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A small part, whole (so its CRC is checked), never more than SMALL_PART bytes."""
    if info.file_size > SMALL_PART:
        raise _damaged()
    with archive.open(info) as part:
        data = part.read(SMALL_PART + 1)
    if len(data) != info.file_size:
        raise _damaged()
    return data


def _check_office(data: bytes) -> tuple[str, str]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = _check_directory(archive)
        if "[content_types].xml" not in parts:
            raise _not_accepted()
        main = next((name for name in OFFICE if name in parts), None)
        if main is None:
            raise _not_accepted()
        if any(key.endswith("vbaproject.bin") for key in parts):
            raise ValidationError(_("文件含有宏，请另存为不含宏的文件后再上传"), code="macro")
        declared = _read_part(archive, parts["[content_types].xml"]).lower()
        if b"macroenabled" in declared or b"vbaproject" in declared:
            raise ValidationError(_("文件含有宏，请另存为不含宏的文件后再上传"), code="macro")
        _read_part(archive, parts[main])
    except ValidationError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise _damaged() from exc
    return OFFICE[main]


def check_material_file(upload, *, max_bytes: int = MAX_BYTES) -> tuple[str, str]:
    """Accept a PDF, an image, or an Office document by its content; returns (content type,
    file suffix). Raises ValidationError with a Chinese message otherwise. Nothing is written
    to disk here; the upload is left rewound for storing."""
    from manyi.applications.evidence import check_evidence_file

    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            _("文件超过 %(mb)s MB") % {"mb": f"{max_bytes / MiB:g}"}, code="file_size"
        )
    data = _read(upload)
    if not data:
        raise ValidationError(_("文件是空的"), code="file_empty")
    if data.startswith(IMAGE_OR_PDF):
        return check_evidence_file(upload, max_bytes=max_bytes)
    if data.startswith(CFB_MAGIC):
        raise ValidationError(
            _(
                "不接受旧版 Office 格式（.doc、.ppt、.xls），请另存为 .docx、.pptx 或 .xlsx 后再上传"
            ),
            code="legacy_office",
        )
    if not data.startswith(ZIP_MAGIC):
        raise _not_accepted()
    return _check_office(data)
