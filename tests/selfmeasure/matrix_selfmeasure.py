"""Access-matrix entries of selfmeasure, merged into tests/access_matrix.py.

`extras(world, x)` returns the objects these entries need in their URLs: an own survey of
world.enterprise with one flagged response, and its own measurement with a plan and an action.

Everything under /own/ is the enterprise's alone: other roles are refused (403), anonymous
people sent to log in; another enterprise's objects are a 404 (tests/selfmeasure/test_views.py).
The collection link /q/<token>/ is public; an empty POST redisplays the questionnaire.
"""

from tests.access_matrix_roles import EN, POST_ONLY, PUBLIC, only, status

_survey = {"kwargs": lambda w, x: {"pk": x["own_survey"].pk}}
_response = {"kwargs": lambda w, x: {"pk": x["own_survey"].pk, "response_pk": x["own_response"].pk}}
_dataset = {"kwargs": lambda w, x: {"pk": x["own_run"].dataset_id}}
_plan = {"kwargs": lambda w, x: {"pk": x["own_plan"].pk}}
_action = {"kwargs": lambda w, x: {"pk": x["own_plan"].pk, "action_pk": x["own_action"].pk}}
# A POST that the service takes or refuses with a message, then sends back to the page.
_moved = {"GET": POST_ONLY, "POST": only(EN, ok=302)}

MATRIX: dict = {
    "selfmeasure:index": {"GET": only(EN), "POST": only(EN)},
    # An empty form is shown again with its errors.
    "selfmeasure:survey_create": {"GET": only(EN), "POST": only(EN)},
    "selfmeasure:survey_detail": {**_survey, "GET": only(EN), "POST": only(EN)},
    "selfmeasure:survey_qr": {**_survey, "GET": only(EN), "POST": status(405)},
    # Too few responses to close; the survey is open, so reopening is refused too.
    "selfmeasure:survey_close": {**_survey, **_moved},
    "selfmeasure:survey_reopen": {**_survey, **_moved},
    "selfmeasure:response_exclude": {**_response, **_moved},
    "selfmeasure:response_restore": {**_response, **_moved},
    "selfmeasure:dataset_share": {**_dataset, **_moved},
    "selfmeasure:dataset_unshare": {**_dataset, **_moved},
    "selfmeasure:plan_create": {"kwargs": lambda w, x: {"pk": x["own_run"].pk}, **_moved},
    "selfmeasure:plan_detail": {**_plan, "GET": only(EN), "POST": only(EN)},
    # An empty action is refused with its errors on the plan page (400).
    "selfmeasure:action_add": {**_plan, "GET": POST_ONLY, "POST": only(EN, ok=400)},
    "selfmeasure:action_edit": {**_action, "GET": only(EN), "POST": only(EN)},
    "selfmeasure:action_done": {**_action, **_moved},
    "selfmeasure:action_reopen": {**_action, **_moved},
    "selfmeasure:action_delete": {**_action, **_moved},
    "selfmeasure_public:answer": {
        "kwargs": lambda w, x: {"token": x["own_survey"].token},
        "GET": PUBLIC,
        "POST": PUBLIC,
    },
}


def extras(world, x) -> dict:
    import datetime as dt

    from manyi.accounts.roles import Role
    from manyi.selfmeasure import plans
    from tests.selfmeasure.factories import answer, own_survey, own_upload, simulated_answers

    survey = own_survey(world, title="矩阵自主调查")
    response = answer(
        survey, simulated_answers(survey.questionnaire, n=1, seed=1)[0], cookie="m", seconds=2
    )
    run = own_upload(world, n=60, seed=3, title="矩阵自有数据")
    user = world.users[Role.ENTERPRISE_USER]
    plan = plans.create_plan(run=run, by=user)
    action = plans.add_action(
        plan=plan,
        by=user,
        driver="QUALITY",
        description="缩短上门时间",
        owner="服务部",
        due_on=dt.date(2030, 1, 1),
    )
    return {
        "own_survey": survey,
        "own_response": response,
        "own_run": run,
        "own_plan": plan,
        "own_action": action,
    }
