"""The roles and status helpers of the access matrix (tests/access_matrix.py).

`test_access_matrix.py` fails when a URL pattern has no entry here, so a new view cannot be
added without saying who may open it. Statuses: 200 shown, 302 redirected (to log in, or
onwards), 403 refused, 404 not found (another organisation's object), 405 wrong method.
"""

from manyi.accounts.roles import Role

A, AA, CS, WD, AG, EN, EX, SU, SM = (
    "anonymous",
    Role.ASSOCIATION_ADMIN,
    Role.COMMITTEE_STAFF,
    Role.WORKDEPT_STAFF,
    Role.AGENCY_STAFF,
    Role.ENTERPRISE_USER,
    Role.EXPERT,
    Role.SURVEYOR,
    Role.SURVEY_MANAGER,
)
LOGGED_IN = (AA, CS, WD, AG, EN, EX, SU, SM)
EVERYONE = (A, *LOGGED_IN)


def status(default: int, **by_role) -> dict:
    result = dict.fromkeys(EVERYONE, default)
    result.update(by_role)
    return result


def only(*roles, ok=200, anonymous=302, others=403) -> dict:
    """Open to `roles`; anonymous people are sent to log in; everyone else is refused."""
    result = dict.fromkeys(EVERYONE, others)
    result[A] = anonymous
    for role in roles:
        result[role] = ok
    return result


def logged_in(ok=200, anonymous=302) -> dict:
    return only(*LOGGED_IN, ok=ok, anonymous=anonymous)


PUBLIC = status(200)
POST_ONLY = status(405)
AUDITORS = (AA, CS)
PROGRAMME = (AA, CS, WD)
CAMPAIGN_MANAGERS = (AA, CS)
