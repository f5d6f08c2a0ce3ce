"""Access-matrix entries of supervision/complaints, merged into tests/access_matrix.py.

`extras(world, x)` returns the objects these entries need in their URLs.

The complaint form and the complainant's follow-up page are public. Complaints are handled by
committee staff and the administrator; the work department reads them without the
complainant's name, contact or files (the file download answers 403); an expert sees only the
complaints given to them to investigate (the world's expert has none: 404).
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

_complaint = {"kwargs": lambda w, x: {"pk": x["complaint"].pk}}
_handled = {**_complaint, "GET": status(405), "POST": only(AA, CS, ok=302)}

MATRIX: dict = {
    # An empty complaint is shown again with its errors.
    "supervision:complaint_new": {"GET": PUBLIC, "POST": PUBLIC},
    "supervision:complaint_follow": {
        "kwargs": lambda w, x: {"token": x["complaint_token"]},
        "GET": PUBLIC,
        "POST": PUBLIC,
    },
    "supervision:complaint_list": {"GET": only(AA, CS, WD, EX), "POST": only(AA, CS, WD, EX)},
    "supervision:complaint_detail": {
        **_complaint,
        "GET": only(AA, CS, WD) | {EX: 404},
        "POST": only(AA, CS, WD) | {EX: 404},
    },
    # An empty triage takes the complaint up unmatched and not major (every field is optional).
    "supervision:complaint_triage": _handled,
    # Empty: no investigator chosen / no findings / no answer, refused with a message.
    "supervision:complaint_assign": _handled,
    "supervision:complaint_findings": {
        **_complaint,
        "GET": status(405),
        "POST": only(AA, CS, ok=302) | {EX: 404},
    },
    "supervision:complaint_answer": _handled,
    "supervision:complaint_dismiss": _handled,
    "supervision:complaint_evidence": {
        "kwargs": lambda w, x: {"pk": x["complaint"].pk, "evidence": x["complaint_evidence"].pk},
        "GET": only(AA, CS) | {WD: 403, EX: 404},
        "POST": status(405),
    },
}


def extras(world, x) -> dict:
    """A complaint with one PDF about the title of world.enterprise (tests/titles/
    matrix_certificates.py makes it)."""
    from tests.supervision.factories_complaints import complain
    from tests.titles.decision_helpers import pdf_upload

    complaint, token = complain(x["title"].number, evidence=[pdf_upload()], ip="192.0.2.77")
    return {
        "complaint": complaint,
        "complaint_token": token,
        "complaint_evidence": complaint.evidence.get(),
    }
