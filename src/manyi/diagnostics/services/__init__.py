"""The only code that changes diagnoses (Art. 15). Each function is one act, checked by its
Action (`diagnostics.access`), done in one transaction, logged, and mailed after commit.

- `requests`: request_diagnosis, withdraw_diagnosis, accept_diagnosis, decline_diagnosis
- `group`: set_group (the diagnostic group and its leader), schedule_visit (and re-scheduling)
- `report`: save_report (the leader's draft), submit_report, report_pdf (logged download)
- `answer`: answer_diagnosis (the enterprise's reply and improvement plan)

Every change of status goes through `moves.move`, the one door that obeys `states.MOVES`.
"""

from manyi.diagnostics.services.answer import answer_diagnosis
from manyi.diagnostics.services.group import schedule_visit, set_group
from manyi.diagnostics.services.report import report_pdf, save_report, submit_report
from manyi.diagnostics.services.requests import (
    accept_diagnosis,
    decline_diagnosis,
    request_diagnosis,
    withdraw_diagnosis,
)

__all__ = [
    "accept_diagnosis",
    "answer_diagnosis",
    "decline_diagnosis",
    "report_pdf",
    "request_diagnosis",
    "save_report",
    "schedule_visit",
    "set_group",
    "submit_report",
    "withdraw_diagnosis",
]
