"""Stand-in for tasks queued before the customer list moved to ``applications.customers``.

django-q stores a task's function as a dotted path; imports already queued under the old
path must still run after an upgrade. Remove in the release after 0.2.
"""

from manyi.applications.customers.tasks import import_customer_list

__all__ = ["import_customer_list"]
