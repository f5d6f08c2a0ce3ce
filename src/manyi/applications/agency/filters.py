"""The filters of the agency's queue (common.listing): the application list's, less what the
queue already fixes (its one state) or an agency cannot choose (other agencies)."""

from manyi.applications.filters import ApplicationFilter


class AgencyQueueFilter(ApplicationFilter):
    # Everything in the queue waits for the agency (`AWAITING_AGENCY`): a state would not narrow.
    status = None
