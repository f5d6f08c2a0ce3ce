"""A diagnosis's states and the moves between them: the one table the services obey.

```
 request_diagnosis
        │
        ▼
    requested ──decline (reason)──► declined
        │    └──withdraw──┐
      accept              ▼
        ▼             withdrawn
    accepted ──withdraw──┘
        │   set_group: 2+ experts, one leader
  schedule_visit
        ▼
    scheduled ◄─┐ schedule_visit again (re-scheduling); save_report (the leader's draft)
        │  └────┘
  submit_report (on or after the visit day; 1+ finding, 1+ recommendation)
        ▼
    reported
        │
  answer_diagnosis (reply + improvement plan: an action for every high recommendation)
        ▼
    answered ── the enterprise ticks the plan's actions off
```

The group (set_group) may change while the diagnosis is accepted or scheduled; the leader drafts
the report while it is scheduled.
"""

from manyi.diagnostics.models import DiagnosisStatus as S

# (from, to) → the activity-log code of the move.
MOVES: dict[tuple[str, str], str] = {
    (S.REQUESTED, S.ACCEPTED): "diagnosis.accept",
    (S.REQUESTED, S.DECLINED): "diagnosis.decline",
    (S.REQUESTED, S.WITHDRAWN): "diagnosis.withdraw",
    (S.ACCEPTED, S.WITHDRAWN): "diagnosis.withdraw",
    (S.ACCEPTED, S.SCHEDULED): "diagnosis.schedule",
    (S.SCHEDULED, S.SCHEDULED): "diagnosis.schedule",
    (S.SCHEDULED, S.REPORTED): "diagnosis.report_submit",
    (S.REPORTED, S.ANSWERED): "diagnosis.answer",
}

# The enterprise may withdraw until the visit is scheduled.
WITHDRAWABLE = (S.REQUESTED, S.ACCEPTED)
# The agency forms or changes the group, and (re)schedules, until the report is submitted.
GROUP_OPEN = (S.ACCEPTED, S.SCHEDULED)
# Under way: the agency has work to do or the group a report to write.
IN_PROGRESS = (S.REQUESTED, S.ACCEPTED, S.SCHEDULED)
# The report is out: the enterprise, the agency and the programme read it.
REPORTED = (S.REPORTED, S.ANSWERED)
# Finished without a report.
CLOSED = (S.DECLINED, S.WITHDRAWN)


def may_move(from_status: str, to_status: str) -> bool:
    return (from_status, to_status) in MOVES
