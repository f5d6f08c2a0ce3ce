"""Access-matrix entries of programme (annual plan, public site), merged into
tests/access_matrix.py.

`extras(world, x)` builds what the URLs need: this year's published plan with an activity, a
draft plan (published by the keepers' POST), last year's published plan (unpublished by it),
a published article, a draft with an image, a draft to publish and a published one to withdraw.
Each POST that changes something acts on an object of its own, so the order of the entries
does not matter.

The public pages answer GET only (405 to a POST); the article images of a draft are the
writers' (404 to anyone else). Plans are kept by the association's administrator and the
committee's staff; articles are written by the programme's three offices.
"""

from tests.access_matrix_roles import AA, CS, POST_ONLY, PUBLIC, WD, only, status

KEEPERS = (AA, CS)
WRITERS = (AA, CS, WD)
GET_ONLY = status(405)

_article = {"kwargs": lambda w, x: {"pk": x["article"].pk}}
_draft = {"kwargs": lambda w, x: {"pk": x["article_draft"].pk}}
_plan = {"kwargs": lambda w, x: {"pk": x["plan"].pk}}
_activity = {"kwargs": lambda w, x: {"pk": x["activity"].pk}}

MATRIX: dict = {
    # The public site.
    "programme:news_list": {"GET": PUBLIC, "POST": GET_ONLY},
    "programme:article_detail": {**_article, "GET": PUBLIC, "POST": GET_ONLY},
    "programme:practices": {"GET": PUBLIC, "POST": GET_ONLY},
    "programme:feed_rss": {"GET": PUBLIC, "POST": GET_ONLY},
    "programme:feed_atom": {"GET": PUBLIC, "POST": GET_ONLY},
    "programme:article_image": {
        "kwargs": lambda w, x: {"pk": x["article_image"].pk},
        "GET": status(404, **{AA: 200, CS: 200, WD: 200}),
        "POST": GET_ONLY,
    },
    "programme:plan_public": {"GET": PUBLIC, "POST": GET_ONLY},
    "programme:plan_year": {
        "kwargs": lambda w, x: {"year": x["plan"].year},
        "GET": PUBLIC,
        "POST": GET_ONLY,
    },
    # The writers' pages: an empty POST shows the form again (nothing sent, nothing changed).
    "programme:article_manage_list": {"GET": only(*WRITERS), "POST": only(*WRITERS)},
    "programme:article_create": {"GET": only(*WRITERS), "POST": only(*WRITERS)},
    "programme:article_preview": {"GET": POST_ONLY, "POST": only(*WRITERS)},
    "programme:article_manage": {**_draft, "GET": only(*WRITERS), "POST": only(*WRITERS)},
    "programme:article_edit": {**_draft, "GET": only(*WRITERS), "POST": only(*WRITERS)},
    "programme:article_publish": {
        "kwargs": lambda w, x: {"pk": x["article_to_publish"].pk},
        "GET": POST_ONLY,
        "POST": only(*WRITERS, ok=302),
    },
    "programme:article_withdraw": {
        "kwargs": lambda w, x: {"pk": x["article_to_withdraw"].pk},
        "GET": POST_ONLY,
        "POST": only(*WRITERS, ok=302),
    },
    "programme:image_library": {"GET": only(*WRITERS), "POST": only(*WRITERS)},
    # The plan keepers' pages.
    "programme:plan_manage_list": {"GET": only(*KEEPERS), "POST": only(*KEEPERS)},
    "programme:plan_create": {"GET": only(*KEEPERS), "POST": only(*KEEPERS)},
    "programme:plan_manage": {**_plan, "GET": only(*KEEPERS), "POST": only(*KEEPERS)},
    "programme:plan_edit": {**_plan, "GET": only(*KEEPERS), "POST": only(*KEEPERS)},
    "programme:plan_publish": {
        "kwargs": lambda w, x: {"pk": x["plan_draft"].pk},
        "GET": POST_ONLY,
        "POST": only(*KEEPERS, ok=302),
    },
    "programme:plan_unpublish": {
        "kwargs": lambda w, x: {"pk": x["plan_old"].pk},
        "GET": POST_ONLY,
        "POST": only(*KEEPERS, ok=302),
    },
    "programme:activity_add": {**_plan, "GET": only(*KEEPERS), "POST": only(*KEEPERS)},
    "programme:activity_edit": {
        **_activity,
        "GET": only(*KEEPERS),
        "POST": only(*KEEPERS),
    },
    "programme:activity_held": {
        **_activity,
        "GET": only(*KEEPERS),
        "POST": only(*KEEPERS),
    },
    "programme:activity_cancel": {
        **_activity,
        "GET": only(*KEEPERS),
        "POST": only(*KEEPERS),
    },
    "programme:activity_delete": {
        "kwargs": lambda w, x: {"pk": x["activity_free"].pk},
        "GET": POST_ONLY,
        "POST": only(*KEEPERS, ok=302),
    },
}


def extras(world, x) -> dict:
    from django.utils import timezone

    from tests.programme.factories import add_activity, make_article, make_image, make_plan

    year = timezone.localdate().year
    plan = make_plan(world, year, activities=1)
    draft_plan = make_plan(world, year + 1, published=False, activities=1)
    old_plan = make_plan(world, year - 1, activities=1)
    draft = make_article(world, title="矩阵草稿", published=False)
    return {
        "plan": plan,
        "plan_draft": draft_plan,
        "plan_old": old_plan,
        "activity": plan.activities.get(),
        "activity_free": add_activity(world, draft_plan, title="可删除的活动"),
        "article": make_article(world, title="矩阵已发布"),
        "article_draft": draft,
        "article_image": make_image(world, article=draft),
        "article_to_publish": make_article(world, title="待发布", published=False),
        "article_to_withdraw": make_article(world, title="待撤下"),
    }
