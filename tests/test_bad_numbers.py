"""Numbers in a query string that Python calls digits but int() refuses ("²"), or too long for
the database's integer, are ignored: the page is shown unfiltered, never a 500."""

import pytest
from django.urls import reverse

from manyi.accounts.roles import Role

pytestmark = pytest.mark.django_db

PAGES = [
    (Role.COMMITTEE_STAFF, "reviews:list", {"campaign": "²"}),
    (Role.COMMITTEE_STAFF, "reviews:list", {"campaign": "9" * 20}),
    (Role.COMMITTEE_STAFF, "supervision:revisit_list", {"year": "²²²²"}),
    (Role.COMMITTEE_STAFF, "supervision:revocation_list", {"year": "²²²²"}),
    (Role.WORKDEPT_STAFF, "supervision:spotcheck_list", {"year": "²"}),
    (Role.COMMITTEE_STAFF, "supervision:violation_list", {"organisation": "²"}),
    (Role.COMMITTEE_STAFF, "supervision:violation_list", {"organisation": "9" * 20}),
    (Role.SURVEY_MANAGER, "fieldwork:review_list", {"survey": "9" * 20}),
]


@pytest.mark.parametrize(("role", "name", "query"), PAGES)
def test_a_strange_number_is_ignored(client_for, role, name, query):
    response = client_for(role).get(reverse(name), query)
    assert response.status_code in (200, 302)
