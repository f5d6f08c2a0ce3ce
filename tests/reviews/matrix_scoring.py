"""Access-matrix entries of this package, merged into tests/access_matrix.py.

`extras(world, x)` returns the objects these entries need in their URLs (x holds what the
matrix already made: "survey" is an accepted application's survey in the field, and
"expert_assignment" the world's expert's assignment on it).

The rubric pages are programme staff's; the work department reads them but may not change the
weights or open the round (403). An empty weights form is redisplayed with its errors (200).
The score sheet is its own expert's; while the round is not open an empty POST is redisplayed
with the refusal (200).
"""

from tests.access_matrix_roles import AA, CS, EX, WD, only, status  # noqa: F401 - for the entries


def _category(w, x):
    return {"pk": x["scoring_category"].pk}


MATRIX: dict = {
    "reviews:scoring_campaign": {
        "kwargs": lambda w, x: {"pk": x["scoring_category"].campaign_id},
        "GET": only(AA, CS, WD),
        "POST": status(405),
    },
    "reviews:scoring_rubric": {
        "kwargs": _category,
        "GET": only(AA, CS, WD),
        "POST": only(AA, CS),
    },
    "reviews:scoring_open": {
        "kwargs": _category,
        "GET": status(405),
        "POST": only(AA, CS, ok=302),
    },
    "reviews:score": {
        "kwargs": lambda w, x: {"pk": x["expert_assignment"].pk},
        "GET": only(EX),
        "POST": only(EX),
    },
}


def extras(world, x) -> dict:
    """The campaign category of x["survey"]'s application."""
    from manyi.campaigns.models import CampaignCategory

    application = x["survey"].application
    return {
        "scoring_category": CampaignCategory.objects.get(
            campaign_id=application.campaign_id, category=application.category
        )
    }
