"""Access-matrix entries of this package, merged into tests/access_matrix.py.

`extras(world, x)` returns the objects these entries need in their URLs (x holds what the
matrix already made: "survey" is an accepted application's survey in the field, …).
"""

from tests.access_matrix_roles import AA, CS, POST_ONLY, WD, only  # noqa: F401 - for the entries

MATRIX: dict = {
    # Programme staff read; committee staff and the association's administrator act.
    "reviews:similarity_campaign": {
        "kwargs": lambda w, x: {"pk": x["similarity_flag"].run.campaign_id},
        "GET": only(AA, CS, WD),
        "POST": only(AA, CS, WD),
    },
    # An empty form runs with the default threshold and sends back to the campaign's page.
    "reviews:similarity_run": {
        "kwargs": lambda w, x: {"pk": x["similarity_flag"].run.campaign_id},
        "GET": POST_ONLY,
        "POST": only(AA, CS, ok=302),
    },
    "reviews:similarity_flag": {
        "kwargs": lambda w, x: {"pk": x["similarity_flag"].pk},
        "GET": only(AA, CS, WD),
        "POST": only(AA, CS, WD),
    },
    # An empty form: told what is missing and sent back.
    "reviews:similarity_flag_review": {
        "kwargs": lambda w, x: {"pk": x["similarity_flag"].pk},
        "GET": POST_ONLY,
        "POST": only(AA, CS, ok=302),
    },
}


def extras(world, x) -> dict:
    from manyi.reviews.models import FlagKind, SimilarityFlag, SimilarityRun

    application = x["survey"].application
    run = SimilarityRun.objects.create(campaign=application.campaign, status="done")
    flag = SimilarityFlag.objects.create(
        run=run,
        kind=FlagKind.TEXT,
        application=application,
        other=x["other_survey"].application,
        section="measures",
        other_section="measures",
        share="0.5",
        detail={"share_other": 0.4, "passages": [{"a": "甲", "b": "甲", "length": 1}]},
    )
    return {"similarity_flag": flag}
