"""Article images: accepted by content (PNG, JPEG, GIF, WebP), refused otherwise with nothing
stored, logged on upload, and served publicly only when a published article shows them."""

import pytest
from django.urls import reverse

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog
from manyi.programme.models import ArticleImage
from manyi.programme.news import services, uploads
from manyi.programme.news.images import MAX_BYTES
from tests.programme.factories import (
    image_bytes,
    make_article,
    make_image,
    upload,
    writer,
)

pytestmark = pytest.mark.django_db


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("fmt", "content_type", "suffix", "frames"),
    [
        ("PNG", "image/png", ".png", 1),
        ("JPEG", "image/jpeg", ".jpg", 1),
        ("GIF", "image/gif", ".gif", 3),
        ("WEBP", "image/webp", ".webp", 1),
    ],
)
def test_each_accepted_format_is_stored_and_logged(
    world, settings, fmt, content_type, suffix, frames
):
    # Named wrongly on purpose: the bytes decide.
    image = uploads.upload_image(
        by=writer(world),
        upload=upload("picture.txt", image_bytes(fmt, frames=frames), "text/plain"),
    )

    assert image.content_type == content_type
    assert image.file.endswith(suffix)
    assert [p.name for p in stored_files(settings)] == [image.file.split("/")[-1]]
    entry = ActivityLog.objects.get(action="article.image_upload")
    assert entry.object_id == str(image.pk)
    assert entry.after["sha256"] == image.sha256
    assert entry.actor == writer(world)


def _truncated(fmt: str) -> bytes:
    data = image_bytes(fmt, size=(200, 200))
    return data[: len(data) // 2]


REFUSED = [
    ("forged.png", b"this is just text pretending to be a picture", "不是 PNG"),
    ("page.gif", b"<html><script>alert(1)</script></html>", "不是 PNG"),
    (
        "drawing.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
        "不是 PNG",
    ),
    ("doc.png", b"%PDF-1.4\n1 0 obj<<>>endobj\nstartxref\n0\n%%EOF\n", "不是 PNG"),
    ("cut.png", None, "损坏"),
    ("cut.gif", None, "损坏"),
    ("cut.webp", None, "损坏"),
    ("cut.jpg", None, "损坏"),
    ("empty.png", b"", "空"),
]


@pytest.mark.parametrize(("name", "data", "words"), REFUSED)
def test_refused_files_leave_nothing_behind(world, settings, name, data, words):
    if data is None:
        fmt = {"png": "PNG", "gif": "GIF", "webp": "WEBP", "jpg": "JPEG"}[name.rsplit(".", 1)[1]]
        data = _truncated(fmt)
    with pytest.raises(Exception) as refused:
        uploads.upload_image(by=writer(world), upload=upload(name, data))

    assert words in " ".join(refused.value.messages)
    assert ArticleImage.objects.count() == 0
    assert stored_files(settings) == []
    assert not ActivityLog.objects.filter(action="article.image_upload").exists()


def test_a_too_big_image_is_refused_before_reading(world, settings):
    big = upload("big.png", image_bytes("PNG") + b"\0" * MAX_BYTES)
    with pytest.raises(Exception) as refused:
        uploads.upload_image(by=writer(world), upload=big)

    assert "超过 5 MB" in " ".join(refused.value.messages)
    assert ArticleImage.objects.count() == 0
    assert stored_files(settings) == []


def test_only_writers_may_upload(world, settings):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        uploads.upload_image(
            by=world.users[Role.AGENCY_STAFF], upload=upload("a.png", image_bytes())
        )
    assert stored_files(settings) == []


# ------------------------------------------------------------------------------------------
# Through the pages


def test_the_editor_uploads_by_fetch_and_gets_the_address(world, client, settings):
    client.force_login(writer(world))
    article = make_article(world, published=False)
    response = client.post(
        reverse("programme:image_library"),
        {"file": upload("图.png", image_bytes()), "article": article.pk},
        HTTP_ACCEPT="application/json",
    )

    image = ArticleImage.objects.get()
    assert response.status_code == 200
    assert response.json() == {
        "url": reverse("programme:article_image", kwargs={"pk": image.pk}),
        "name": "图.png",
    }
    assert image.article == article


def test_a_forged_upload_by_fetch_gets_the_reason(world, client, settings):
    client.force_login(writer(world))
    response = client.post(
        reverse("programme:image_library"),
        {"file": upload("x.png", b"GIF89a not really")},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 400
    assert "损坏" in response.json()["errors"][0]
    assert stored_files(settings) == []


def test_the_library_form_refuses_with_the_reason(world, client, settings):
    client.force_login(writer(world))
    response = client.post(
        reverse("programme:image_library"), {"file": upload("x.png", b"not an image")}
    )

    assert response.status_code == 400
    assert "不是 PNG、JPEG、GIF 或 WebP" in response.content.decode()
    assert stored_files(settings) == []


def _get(client, image):
    return client.get(reverse("programme:article_image", kwargs={"pk": image.pk}))


def test_an_image_of_a_draft_is_for_writers_only(world, client):
    article = make_article(world, published=False)
    image = make_image(world, article=article)

    assert _get(client, image).status_code == 404
    client.force_login(world.users[Role.ENTERPRISE_USER])
    assert _get(client, image).status_code == 404
    client.force_login(world.users[Role.WORKDEPT_STAFF])
    response = _get(client, image)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"


def test_an_image_shown_by_a_published_article_is_public(world, client):
    image = make_image(world)
    address = reverse("programme:article_image", kwargs={"pk": image.pk})
    make_article(world, body=f'<p>图</p><figure><img src="{address}" alt="图"></figure>')

    response = _get(client, image)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=3600"
    assert b"".join(response.streaming_content) == image_bytes()


def test_an_image_of_a_withdrawn_article_is_no_longer_public(world, client):
    image = make_image(world)
    address = reverse("programme:article_image", kwargs={"pk": image.pk})
    article = make_article(world, body=f'<img src="{address}">')
    services.withdraw_article(article=article, by=writer(world))

    assert _get(client, image).status_code == 404
