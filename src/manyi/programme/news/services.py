"""The only code that changes the public site's articles and their images (Art. 10, 13, 20).

- `create_article` / `update_article`: every save sanitises the rich text (`sanitise.clean_html`)
  and attaches the article images it shows.
- `publish_article` / `withdraw_article`: the one door for each move of `access.MOVES`.
Images are uploaded through `news.uploads`.

Each function checks its Action and writes an activity-log entry in the same transaction.
"""

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.roles import OrgKind
from manyi.common.services import log_activity
from manyi.programme.models import Article, ArticleImage, ArticleKind, ArticleStatus
from manyi.programme.news.access import EDIT, MOVES, PUBLISH, WITHDRAW, WRITE
from manyi.programme.news.sanitise import clean_html, image_ids_in, plain_text

MAX_BODY = 100_000
LIMITS = {"title": 200, "title_en": 300, "summary": 500, "summary_en": 800}
# Logged by value; the bodies are logged by length and hash (they can be long).
SHORT_FIELDS = (
    "kind",
    "title",
    "title_en",
    "summary",
    "summary_en",
    "organisation_id",
    "planned_activity_id",
)


def _race_lost():
    return ValidationError(_("该文章刚被其他人修改，请刷新页面后重试"))


def _body_facts(body: str) -> dict:
    return {"chars": len(body), "sha256": hashlib.sha256(body.encode()).hexdigest()}


def _has_content(html: str) -> bool:
    return bool(plain_text(html)) or "<img" in html


def _article_fields(
    *,
    kind,
    title,
    summary,
    body,
    title_en,
    summary_en,
    body_en,
    organisation,
    planned_activity,
) -> dict:
    """The article's fields, sanitised and checked, or a ValidationError by field."""
    errors: dict[str, list[str]] = {}
    fields = {
        "kind": kind,
        "title": (title or "").strip(),
        "title_en": (title_en or "").strip(),
        "summary": " ".join((summary or "").split()),
        "summary_en": " ".join((summary_en or "").split()),
        "organisation": organisation,
        "planned_activity": planned_activity,
    }
    if kind not in ArticleKind.values:
        errors["kind"] = [_("请选择栏目")]
    if not fields["title"]:
        errors["title"] = [_("请填写标题")]
    for name, limit in LIMITS.items():
        if len(fields[name]) > limit:
            errors.setdefault(name, []).append(_("不超过 %(n)d 个字符") % {"n": limit})
    for name, raw in (("body", body), ("body_en", body_en)):
        if len(raw or "") > MAX_BODY:
            errors[name] = [_("正文过长（不超过 %(n)d 个字符）") % {"n": MAX_BODY}]
    if organisation is not None and organisation.kind != OrgKind.ENTERPRISE:
        errors["organisation"] = [_("相关单位应为参与活动的企业")]
    elif kind == ArticleKind.PRACTICE and organisation is None:
        errors["organisation"] = [_("先进经验与标杆文章须注明相关企业")]
    if "body" not in errors and "body_en" not in errors:
        # Only images that exist may be shown; the pks are looked up once for both bodies.
        wanted = image_ids_in(body) | image_ids_in(body_en)
        known = set(ArticleImage.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        fields["body"] = clean_html(body, known_images=known)
        fields["body_en"] = clean_html(body_en, known_images=known)
        if not _has_content(fields["body"]):
            errors["body"] = [_("请填写正文（去除不允许的内容后正文为空）")]
        if not _has_content(fields["body_en"]):
            fields["body_en"] = ""
    if errors:
        raise ValidationError(errors)
    return fields


def _attach_images(article: Article) -> None:
    """The images the article shows that no article holds yet become this article's."""
    shown = image_ids_in(article.body) | image_ids_in(article.body_en)
    if shown:
        ArticleImage.objects.filter(pk__in=shown, article__isnull=True).update(article=article)


def create_article(
    *,
    by,
    kind: str,
    title: str,
    body: str,
    summary: str = "",
    title_en: str = "",
    summary_en: str = "",
    body_en: str = "",
    organisation=None,
    planned_activity=None,
) -> Article:
    """A draft article; its bodies are sanitised before anything is stored.

    Refused (ValidationError by field, nothing stored): no kind or title, a body empty once
    cleaned, a good practice without its enterprise, too long a field. Side effects: the
    Article (draft); images it shows that belong to no article are attached to it; an
    activity-log entry "article.create".
    """
    WRITE.require(by, None)
    fields = _article_fields(
        kind=kind,
        title=title,
        summary=summary,
        body=body,
        title_en=title_en,
        summary_en=summary_en,
        body_en=body_en,
        organisation=organisation,
        planned_activity=planned_activity,
    )
    with transaction.atomic():
        article = Article.objects.create(author=by, **fields)
        _attach_images(article)
        log_activity(
            actor=by,
            action="article.create",
            obj=article,
            after={
                **{name: getattr(article, name) for name in SHORT_FIELDS},
                "body": _body_facts(article.body),
                "body_en": _body_facts(article.body_en),
            },
        )
    return article


def update_article(
    *,
    article: Article,
    by,
    kind: str,
    title: str,
    body: str,
    summary: str = "",
    title_en: str = "",
    summary_en: str = "",
    body_en: str = "",
    organisation=None,
    planned_activity=None,
) -> Article:
    """Change an article in any state (a published one changes in public at once), sanitising
    its bodies again.

    Side effects: the changed fields; newly shown images attached; an activity-log entry
    "article.update" with what changed (the bodies by length and hash); nothing when nothing
    changed.
    """
    EDIT.require(by, article)
    fields = _article_fields(
        kind=kind,
        title=title,
        summary=summary,
        body=body,
        title_en=title_en,
        summary_en=summary_en,
        body_en=body_en,
        organisation=organisation,
        planned_activity=planned_activity,
    )
    before = {name: getattr(article, name) for name in SHORT_FIELDS}
    bodies_before = {"body": article.body, "body_en": article.body_en}
    for name, value in fields.items():
        setattr(article, name, value)
    after = {name: getattr(article, name) for name in SHORT_FIELDS}
    changed = [name for name in SHORT_FIELDS if before[name] != after[name]]
    changed_bodies = [
        name for name, value in bodies_before.items() if getattr(article, name) != value
    ]
    if not changed and not changed_bodies:
        return article
    with transaction.atomic():
        article.save(update_fields=[*fields, "updated_at"])
        _attach_images(article)
        log_activity(
            actor=by,
            action="article.update",
            obj=article,
            before={
                **{name: before[name] for name in changed},
                **{name: _body_facts(bodies_before[name]) for name in changed_bodies},
            },
            after={
                **{name: after[name] for name in changed},
                **{name: _body_facts(getattr(article, name)) for name in changed_bodies},
            },
        )
    return article


def publish_article(*, article: Article, by) -> Article:
    """Show the article on the public site, in its feeds and (the latest) on the home page.

    Side effects: status published and the time of publication (a withdrawn article published
    again gets a new time), only if it was still in a state it may be published from; an
    activity-log entry "article.publish".
    """
    PUBLISH.require(by, article)
    now = timezone.now()
    before = article.status
    with transaction.atomic():
        moved = Article.objects.filter(
            pk=article.pk, status__in=MOVES[ArticleStatus.PUBLISHED]
        ).update(status=ArticleStatus.PUBLISHED, published_at=now, updated_at=now)
        if not moved:
            raise _race_lost()
        article.status, article.published_at = ArticleStatus.PUBLISHED, now
        log_activity(
            actor=by,
            action="article.publish",
            obj=article,
            before={"status": before},
            after={"status": ArticleStatus.PUBLISHED},
        )
    return article


def withdraw_article(*, article: Article, by, reason: str = "") -> Article:
    """Take a published article off the public site (its page, the lists and the feeds).

    Side effects: status withdrawn, only if it was published; an activity-log entry
    "article.withdraw" with the reason as its note.
    """
    WITHDRAW.require(by, article)
    with transaction.atomic():
        moved = Article.objects.filter(pk=article.pk, status=ArticleStatus.PUBLISHED).update(
            status=ArticleStatus.WITHDRAWN, updated_at=timezone.now()
        )
        if not moved:
            raise _race_lost()
        article.status = ArticleStatus.WITHDRAWN
        log_activity(
            actor=by,
            action="article.withdraw",
            obj=article,
            before={"status": ArticleStatus.PUBLISHED},
            after={"status": ArticleStatus.WITHDRAWN},
            note=(reason or "").strip()[:500],
        )
    return article
