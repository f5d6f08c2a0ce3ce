"""Dashboard panels of supervision (collected by ``portal.dashboard``): each package's own,
from its ``panels.py``."""

from manyi.supervision.complaints import panels as complaints
from manyi.supervision.holders import panels as holders
from manyi.supervision.revisits import panels as revisits
from manyi.supervision.revocations import panels as revocations
from manyi.supervision.sanctions import panels as sanctions
from manyi.supervision.spotchecks import panels as spotchecks
from manyi.supervision.validity import panels as validity

PANEL_ORDER = 26
PACKAGES = (revocations, complaints, spotchecks, revisits, holders, sanctions, validity)


def panels(user) -> list[dict]:
    return [p for package in PACKAGES for p in package.panels(user)]
