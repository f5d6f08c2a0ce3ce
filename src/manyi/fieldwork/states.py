"""A survey's states and the one table of allowed moves (only `services.move_survey` moves)."""

from manyi.fieldwork.models import ContactStatus, SurveyStatus

S = SurveyStatus

# (from, to) -> the activity-log code of the move.
MOVES: dict[tuple[str, str], str] = {
    (S.ASSIGNED, S.SAMPLED): "survey.sampled",
    (S.SAMPLED, S.IN_FIELD): "survey.in_field",
    (S.IN_FIELD, S.CLOSED): "survey.closed",
    (S.CLOSED, S.RELEASED): "survey.released",
}

# Contacts an interviewer may still call (and a web respondent may still answer).
OPEN_CONTACT = (ContactStatus.PENDING, ContactStatus.INVITED, ContactStatus.CALLBACK)
# Final outcomes: the contact is done with, whatever happened.
FINAL_CONTACT = (
    ContactStatus.COMPLETED,
    ContactStatus.REFUSED,
    ContactStatus.NON_CONTACT,
    ContactStatus.WRONG_NUMBER,
    ContactStatus.INELIGIBLE,
)
# What the applicant is told: only that its survey is under way, then (once released) the result.
APPLICANT_WORDING = {
    S.ASSIGNED: "under_way",
    S.SAMPLED: "under_way",
    S.IN_FIELD: "under_way",
    S.CLOSED: "under_way",
    S.RELEASED: "released",
}
