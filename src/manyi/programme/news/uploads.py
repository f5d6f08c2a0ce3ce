"""Article images: the one door that keeps an upload (checked by content with
`images.check_article_image`, stored privately only inside the transaction that records it),
and the response that shows a stored one."""

from django.db import transaction
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from manyi.common.files import private_path, stored_upload
from manyi.common.services import log_activity
from manyi.programme.models import Article, ArticleImage
from manyi.programme.news.access import UPLOAD_IMAGE
from manyi.programme.news.images import check_article_image

FOLDER = "articles"


def upload_image(*, by, upload, article: Article | None = None) -> ArticleImage:
    """Check an image by its content and keep it for articles (of `article` when given).

    Refused (ValidationError, nothing stored): not a PNG/JPEG/GIF/WebP whatever its name,
    damaged, too large. Side effects: the file under `articles/` (removed again if anything
    fails), the ArticleImage, an activity-log entry "article.image_upload".
    """
    UPLOAD_IMAGE.require(by, article)
    content_type, suffix = check_article_image(upload)
    name = (upload.name or "").strip()[:200] or _("图片")
    with (
        stored_upload(upload, folder=FOLDER, suffix=suffix) as (path, digest, size),
        transaction.atomic(),
    ):
        image = ArticleImage.objects.create(
            article=article,
            file=path,
            original_name=name,
            content_type=content_type,
            size=size,
            sha256=digest,
            uploaded_by=by,
        )
        log_activity(
            actor=by,
            action="article.image_upload",
            obj=image,
            after={
                "article": article.pk if article else None,
                "name": name,
                "content_type": content_type,
                "size": size,
                "sha256": digest,
            },
        )
    return image


def image_response(image: ArticleImage, *, public: bool) -> FileResponse:
    """The stored image, shown in the page (its type is what its bytes were checked as).
    A public image may be cached for an hour; one only staff may see is never cached."""
    path = private_path(image.file)
    if not path.exists():
        raise Http404
    response = FileResponse(path.open("rb"), content_type=image.content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response
