"""Who may do what with the public site's articles: one predicate per fact, one Action per act.

The programme's three offices write, publish and withdraw; an article moves

    draft ──publish──► published ──withdraw──► withdrawn ──publish──► published

and may be edited in any state (a published one changes in public at once; every save is
sanitised and logged). Everyone reads what is published (selectors).
"""

import rules
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from manyi.common.permissions import Action, flags, not_allowed
from manyi.programme.access import writes_articles
from manyi.programme.models import ArticleStatus

# Which states each move starts from: the one table of allowed moves.
MOVES = {
    ArticleStatus.PUBLISHED: (ArticleStatus.DRAFT, ArticleStatus.WITHDRAWN),
    ArticleStatus.WITHDRAWN: (ArticleStatus.PUBLISHED,),
}


@rules.predicate
def can_be_published(_user, article) -> bool:
    return article.status in MOVES[ArticleStatus.PUBLISHED]


@rules.predicate
def can_be_withdrawn(_user, article) -> bool:
    return article.status in MOVES[ArticleStatus.WITHDRAWN]


def _said(message):
    return lambda _obj=None: ValidationError(message)


already_published = _said(_("该文章已经发布"))
not_published = _said(_("该文章未在发布中"))

WRITE = Action("programme.write_article", (writes_articles, not_allowed))
EDIT = Action("programme.edit_article", (writes_articles, not_allowed))
PUBLISH = Action(
    "programme.publish_article",
    (writes_articles, not_allowed),
    (can_be_published, already_published),
)
WITHDRAW = Action(
    "programme.withdraw_article", (writes_articles, not_allowed), (can_be_withdrawn, not_published)
)
UPLOAD_IMAGE = Action("programme.upload_article_image", (writes_articles, not_allowed))


def article_flags(user, article) -> dict[str, bool]:
    return flags(
        user,
        article,
        {"can_edit": EDIT, "can_publish": PUBLISH, "can_withdraw": WITHDRAW},
    )
