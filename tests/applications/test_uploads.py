"""The evidence-file check: PDF, JPEG or PNG by content, whole, and not too large."""

import io
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile

from manyi.applications.evidence import MiB, check_evidence_file

NOT_ACCEPTED = "文件内容不是 PDF、JPEG 或 PNG（仅凭扩展名无法通过检查）"
DAMAGED = "文件已损坏或不完整"


def png_bytes(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (180, 20, 20)).save(out, "PNG")
    return out.getvalue()


def jpeg_bytes(size=(200, 120)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 200)).save(out, "JPEG", quality=85)
    return out.getvalue()


def pdf_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 80), (255, 255, 255)).save(out, "PDF")
    return out.getvalue()


def upload(content: bytes, name: str = "scan.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def refusal(content: bytes, name: str = "scan.pdf", **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check_evidence_file(upload(content, name), **kwargs)
    return caught.value


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (pdf_bytes, ("application/pdf", ".pdf")),
        (jpeg_bytes, ("image/jpeg", ".jpg")),
        (png_bytes, ("image/png", ".png")),
    ],
)
def test_real_files_are_accepted_and_left_rewound(make, expected):
    content = make()
    file = upload(content, name="扫描件")
    assert check_evidence_file(file) == expected
    assert file.read() == content


def test_the_content_decides_not_the_name():
    # A PNG named .pdf is a PNG: stored with the suffix its bytes call for.
    assert check_evidence_file(upload(png_bytes(), "盖章页.pdf")) == ("image/png", ".png")
    assert check_evidence_file(upload(pdf_bytes(), "盖章页.png", "image/png")) == (
        "application/pdf",
        ".pdf",
    )


def _encrypted_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("评价.pdf", pdf_bytes())
    data = bytearray(out.getvalue())
    data[6] |= 0x01  # the "encrypted" flag of the first local header
    return bytes(data)


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    return out.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', id="svg"
        ),
        pytest.param(b"<!DOCTYPE html><html><script>alert(1)</script></html>", id="html"),
        pytest.param(b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, id="exe"),
        pytest.param(_encrypted_zip(), id="encrypted-zip"),
        pytest.param(_gif(), id="gif"),
        pytest.param(b"   %PDF-1.4 leading spaces", id="pdf-not-at-start"),
        pytest.param("建设单位评价意见".encode(), id="text"),
    ],
)
def test_other_content_is_refused_whatever_its_name(content):
    error = refusal(content, "盖章页.pdf")
    assert error.messages == [NOT_ACCEPTED]
    assert error.code == "file_type"


def test_an_empty_file_is_refused():
    assert refusal(b"").messages == ["文件是空的"]


def _png_with_bad_crc() -> bytes:
    data = bytearray(png_bytes())
    idat = data.index(b"IDAT")
    data[idat + 6] ^= 0xFF  # change the compressed pixels; the chunk's CRC no longer matches
    return bytes(data)


def _png_with_bad_pixels() -> bytes:
    """A PNG whose chunks are well formed (CRCs right) but whose pixel data is not zlib."""
    data = bytearray(png_bytes())
    idat = data.index(b"IDAT")
    length = int.from_bytes(data[idat - 4 : idat], "big")
    junk = b"\x00" * length
    crc = zlib.crc32(b"IDAT" + junk).to_bytes(4, "big")
    return bytes(data[: idat + 4]) + junk + crc + bytes(data[idat + 4 + length + 4 :])


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(png_bytes()[:-20], id="truncated-png"),
        pytest.param(png_bytes()[:60], id="png-header-only"),
        pytest.param(jpeg_bytes()[: len(jpeg_bytes()) // 2], id="truncated-jpeg"),
        pytest.param(jpeg_bytes()[:-2], id="jpeg-without-end"),
        pytest.param(pdf_bytes()[: len(pdf_bytes()) // 2], id="truncated-pdf"),
        pytest.param(_png_with_bad_crc(), id="png-bad-crc"),
        pytest.param(_png_with_bad_pixels(), id="png-bad-pixels"),
        # Polyglots: a valid signature, then something a browser would run.
        pytest.param(
            b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>", id="png-header-then-html"
        ),
        pytest.param(png_bytes() + b"<html><script>alert(1)</script></html>", id="png-then-html"),
        pytest.param(
            b"\xff\xd8\xff\xe0<html><script>alert(1)</script></html>", id="jpeg-then-html"
        ),
        pytest.param(b"%PDF-1.7\n<html><script>alert(1)</script></html>", id="pdf-then-html"),
        pytest.param(b"%PDF-1.7\n<html></html>\nstartxref\n0\n%%EOF\n", id="pdf-no-objects"),
    ],
)
@pytest.mark.parametrize("lenient_pillow", [False, True], ids=["pillow-strict", "pillow-lenient"])
def test_truncated_forged_and_polyglot_files_are_refused(content, lenient_pillow, monkeypatch):
    # WeasyPrint switches Pillow's truncation check off for the whole process on import.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", lenient_pillow)
    error = refusal(content)
    assert error.messages == [DAMAGED]
    assert error.code == "file_damaged"


def test_jpeg_with_data_after_its_end_is_accepted():
    # Phones append a second picture or a video after the end marker (MPO, motion photos).
    content = jpeg_bytes() + jpeg_bytes(size=(20, 20))
    assert check_evidence_file(upload(content, "photo.jpg")) == ("image/jpeg", ".jpg")


def _chunk(kind: bytes, body: bytes) -> bytes:
    return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")


def _interlaced_png() -> bytes:
    """A 1×1 Adam7-interlaced RGB PNG, written by hand (Pillow does not write interlaced PNGs)."""
    header = (1).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 1])
    pixels = zlib.compress(b"\x00\xc8\x0a\x0a")
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", pixels)
        + _chunk(b"IEND", b"")
    )


def test_progressive_and_interlaced_images_are_accepted():
    out = io.BytesIO()
    Image.new("RGB", (300, 200), (10, 200, 10)).save(out, "JPEG", progressive=True)
    assert check_evidence_file(upload(out.getvalue()))[0] == "image/jpeg"
    out = io.BytesIO()
    Image.new("RGBA", (300, 200), (10, 200, 10, 100)).save(out, "PNG")
    assert check_evidence_file(upload(out.getvalue()))[0] == "image/png"
    assert Image.open(io.BytesIO(_interlaced_png())).info.get("interlace") == 1
    assert check_evidence_file(upload(_interlaced_png()))[0] == "image/png"


def test_the_size_limit():
    content = png_bytes()
    assert check_evidence_file(upload(content), max_bytes=len(content)) == ("image/png", ".png")
    assert refusal(content, max_bytes=len(content) - 1).code == "file_size"
    assert refusal(b"%PDF-1.4" + b"0" * (10 * MiB), "big.pdf").messages == ["文件超过 10 MB"]
    assert refusal(b"0" * (MiB + 1), max_bytes=MiB).messages == ["文件超过 1 MB"]


def test_an_image_too_large_to_decode_safely_is_refused():
    out = io.BytesIO()
    # 85 million one-bit pixels compress to a few kilobytes: a decompression bomb in miniature.
    Image.new("1", (10_000, 8_500)).save(out, "PNG")
    assert len(out.getvalue()) < MiB
    assert refusal(out.getvalue()).messages == ["图片尺寸过大，请以较低分辨率重新扫描"]
