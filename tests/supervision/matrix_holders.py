"""Access-matrix entries of supervision/holders, merged into tests/access_matrix.py.

`extras(world, x)` returns the objects these entries need in their URLs.

The programme's three offices read the holder surveys; committee staff and the administrator
launch them and ask for an assessment again.
"""

from tests.access_matrix_roles import (  # noqa: F401 - for the entries
    AA,
    AG,
    CS,
    EN,
    EX,
    PUBLIC,
    WD,
    only,
    status,
)

MATRIX: dict = {
    "supervision:holder_list": {"GET": only(AA, CS, WD), "POST": status(405)},
    # An empty form is shown again with its errors.
    "supervision:holder_launch": {"GET": only(AA, CS), "POST": only(AA, CS)},
    # The survey is still in the field: the assessment is refused with a message.
    "supervision:holder_assess": {
        "kwargs": lambda w, x: {"pk": x["holder_survey"].pk},
        "GET": status(405),
        "POST": only(AA, CS, ok=302),
    },
}


def extras(world, x) -> dict:
    """A holder survey of an earlier campaign's title, still in the field."""
    from tests.supervision.factories_revisits import holder_survey, title_of
    from tests.titles.decision_helpers import past_campaign

    title = title_of(world, "service", campaign=past_campaign())
    return {"holder_survey": holder_survey(world, title, closed=False)}
