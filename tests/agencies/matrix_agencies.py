"""Access-matrix entries of agencies, merged into tests/access_matrix.py.

`extras(world, x)` returns what these URLs need: a request for recognition with an evidence
file (for the staff's pages), another one and its follow token (for the public link), an
invitation of world.other_agency to world.enterprise (the enterprise answers it), and an
invitation of world.agency to world.other_enterprise (the agency withdraws it).

The request form, its follow link and the directory are public. The queue, a request and its
evidence are for programme staff; only the association's administrator decides (an empty
refusal is refused with a message; an empty recognition form recognises). Agencies: the list
for programme staff; an agency's page also for its own staff (another agency's staff: 404, in
tests/agencies/test_views.py). The enterprise answers an invitation and leaves; the agency's
staff invite and end memberships.
"""

from tests.access_matrix_roles import AA, AG, EN, POST_ONLY, PROGRAMME, PUBLIC, only, status

_request = {"kwargs": lambda w, x: {"pk": x["agency_request"].pk}}
_agency = {"kwargs": lambda w, x: {"pk": w.agency.pk}}
_decided_by_admin = {"GET": POST_ONLY, "POST": only(AA, ok=302)}

MATRIX: dict = {
    "agencies:apply": {"GET": PUBLIC, "POST": PUBLIC},
    # POST withdraws the request; a second one says it is already withdrawn (200 either way).
    "agencies:request_follow": {
        "kwargs": lambda w, x: {"token": x["agency_request_token"]},
        "GET": PUBLIC,
        "POST": PUBLIC,
    },
    "agencies:directory": {"GET": PUBLIC, "POST": PUBLIC},
    "agencies:requests": {"GET": only(*PROGRAMME), "POST": only(*PROGRAMME)},
    "agencies:request_detail": {**_request, "GET": only(*PROGRAMME), "POST": only(*PROGRAMME)},
    "agencies:request_recognise": {**_request, **_decided_by_admin},
    "agencies:request_refuse": {**_request, **_decided_by_admin},
    "agencies:request_evidence": {**_request, "GET": only(*PROGRAMME), "POST": status(405)},
    "agencies:list": {"GET": only(*PROGRAMME), "POST": only(*PROGRAMME)},
    "agencies:detail": {**_agency, "GET": only(*PROGRAMME, AG), "POST": only(*PROGRAMME, AG)},
    # An empty reason is refused with a message; reinstating an agency not suspended too.
    "agencies:suspend": {**_agency, **_decided_by_admin},
    "agencies:reinstate": {**_agency, **_decided_by_admin},
    "agencies:dashboard": {"GET": only(AG), "POST": only(AG)},
    # An empty POST names no enterprise: refused with a message, back to the search.
    "agencies:invite": {"GET": only(AG), "POST": only(AG, ok=302)},
    "agencies:membership_accept": {
        "kwargs": lambda w, x: {"pk": x["membership_invited"].pk},
        "GET": POST_ONLY,
        "POST": only(EN, ok=302),
    },
    "agencies:membership_decline": {
        "kwargs": lambda w, x: {"pk": x["membership_invited"].pk},
        "GET": POST_ONLY,
        "POST": only(EN, ok=302),
    },
    # An empty reason is shown again with its error.
    "agencies:membership_leave": {
        "kwargs": lambda w, x: {"pk": x["membership_requested"].pk},
        "GET": only(EN),
        "POST": only(EN),
    },
    # Withdrawing an invitation needs no reason: the POST withdraws it and goes back.
    "agencies:membership_end": {
        "kwargs": lambda w, x: {"pk": x["membership_agency_invitation"].pk},
        "GET": only(AG),
        "POST": only(AG, ok=302),
    },
}


def extras(world, x) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from manyi.accounts.models import AgencyMembership
    from manyi.accounts.roles import Role
    from manyi.agencies import membership, services
    from tests.agencies.factories import request_data

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\nstartxref\n0\n%%EOF\n"
    agency_request, _token = services.submit_request(
        data=request_data(),
        evidence=SimpleUploadedFile("登记证书.pdf", pdf),
        limited=False,
    )
    _followed, token = services.submit_request(
        data=request_data(name="广州市海珠区质量发展促进会", contact_email="hz@example.cn"),
        limited=False,
    )
    invited = membership.invite_enterprise(
        agency=world.other_agency, enterprise=world.enterprise, by=world.other_agency_staff
    )
    agency_invitation = membership.invite_enterprise(
        agency=world.agency, enterprise=world.other_enterprise, by=world.users[Role.AGENCY_STAFF]
    )
    return {
        "agency_request": agency_request,
        "agency_request_token": token,
        "membership_invited": invited,
        "membership_requested": AgencyMembership.objects.get(
            enterprise=world.enterprise, agency=world.agency
        ),
        "membership_agency_invitation": agency_invitation,
    }
