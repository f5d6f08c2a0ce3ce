"""The mapping screen: reached from the data set's page, auto-matched, checked, and the run
started from it; refused without a trace for a stale or forged post."""

import json

import pytest

from manyi.accounts.roles import Role
from manyi.surveys.models import MeasurementRun
from tests.surveys.mapping_helpers import preset_spec, q_names, renamed_csv, upload

pytestmark = pytest.mark.django_db

CHINA = preset_spec("china")
INDICATORS = [mv for block in CHINA["blocks"].values() for mv in block]
COMPLAINTS = ["是" if i % 8 == 0 else "否" for i in range(200)]


@pytest.fixture
def q_dataset(world):
    """Columns Q1..Q17; Q11 worded as sat1's name in the dictionary, a yes/no complaint."""
    content = renamed_csv(
        "china", rename=q_names, complaint=COMPLAINTS, extra={"备注": ["无"] * 200}
    )
    return upload(world, content, dictionary={"Q11": "总体满意度", "投诉": "是否投诉过"})


def run_post(**changes) -> dict:
    data = {
        "step": "run",
        "model_choice": "china",
        "custom_model": "",
        "title": "映射后计算",
        "complaint_column": "投诉",
        "scheme": "path",
        "scaling": "standardized",
        "missing": "mean",
        "resamples": 0,
        "seed": 5,
        **{f"column_{i}": f"Q{i + 1}" for i in range(len(INDICATORS))},
    }
    return data | changes


def url(dataset) -> str:
    return f"/measurement/datasets/{dataset.pk}/mapping/"


def selected(text: str, field: str) -> str:
    """The value of the option selected in a select (by its name)."""
    select = text.split(f'name="{field}"')[1].split("</select>")[0]
    assert " selected>" in select, select
    return select.split(" selected>")[0].rsplit('value="', 1)[1].split('"')[0]


def test_the_data_set_page_chooses_the_model_then_maps(q_dataset, client, world):
    client.force_login(world.users[Role.COMMITTEE_STAFF])

    text = client.get(f"/measurement/datasets/{q_dataset.pk}/").content.decode()

    assert f'action="{url(q_dataset)}"' in text
    assert "下一步：对应变量" in text
    assert "投诉" in text.split('id="binary-columns"')[1]


def test_the_mapping_screen_proposes_the_dictionary_match_and_the_complaint_column(
    q_dataset, client, world
):
    client.force_login(world.users[Role.COMMITTEE_STAFF])

    response = client.post(url(q_dataset), {"step": "choose", "model_choice": "china"})

    text = response.content.decode()
    assert response.status_code == 200
    assert "总体满意度（sat1）" in text
    assert selected(text, "column_10") == "Q11"  # sat1, by its dictionary wording
    assert 'name="column_11"' in text
    assert selected(text, "complaint_column") == "投诉"
    assert "备注（文本）" in text
    # Q12.. have no wording: the screen says which indicators wait for a choice.
    unmatched = text.split('id="unmatched"')[1].split("</div>")[0]
    assert "与预期相比的满意度（sat2）" in unmatched
    assert "总体满意度（sat1）" not in unmatched
    assert "随机种子" in text  # the run's settings are on the same page


def test_a_complete_mapping_starts_the_run_with_it(
    q_dataset, client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.users[Role.COMMITTEE_STAFF])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(q_dataset), run_post())

    run = MeasurementRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/measurement/runs/{run.pk}/"
    run.refresh_from_db()
    assert run.status == "done", run.error_message
    assert run.column_map == {ind: f"Q{i + 1}" for i, ind in enumerate(INDICATORS)}
    assert run.result["complaints"]["yes"] == 25


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"column_1": "Q1"}, "变量“Q1”被同时用于多个指标"),
        ({"column_1": ""}, "以下指标还没有选择对应的变量"),
        ({"column_1": "备注"}, "这些变量不是数值变量"),
        ({"column_1": "Q99"}, "选择一个有效的选项"),  # a forged or stale column
        ({"complaint_column": "Q3"}, "选择一个有效的选项"),  # not a yes/no column
    ],
)
def test_a_bad_or_forged_mapping_is_refused_and_nothing_is_queued(
    q_dataset, client, world, changes, message
):
    client.force_login(world.users[Role.COMMITTEE_STAFF])

    response = client.post(url(q_dataset), run_post(**changes))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert MeasurementRun.objects.count() == 0


def test_an_unknown_model_is_refused_on_the_data_set_page(q_dataset, client, world):
    client.force_login(world.users[Role.COMMITTEE_STAFF])

    response = client.post(url(q_dataset), run_post(model_choice="gbt2099"))

    assert "选择一个有效的选项" in response.content.decode()
    assert "下一步：对应变量" in response.content.decode()
    assert MeasurementRun.objects.count() == 0


def test_a_custom_model_is_carried_through_the_mapping(
    q_dataset, client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.users[Role.COMMITTEE_STAFF])
    spec = {"blocks": {"S": ["s1", "s2"], "L": ["l1", "l2"]}, "paths": [["S", "L"]]}
    custom = json.dumps(spec)

    page = client.post(
        url(q_dataset), {"step": "choose", "model_choice": "custom", "custom_model": custom}
    ).content.decode()
    assert 'name="column_3"' in page
    assert 'name="column_4"' not in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url(q_dataset),
            {
                **run_post(model_choice="custom", custom_model=custom),
                "column_0": "Q11",
                "column_1": "Q12",
                "column_2": "Q15",
                "column_3": "Q16",
            },
        )

    run = MeasurementRun.objects.get()
    assert run.model_name == "custom"
    assert run.column_map == {"s1": "Q11", "s2": "Q12", "l1": "Q15", "l2": "Q16"}


def test_a_bad_custom_model_is_said_on_the_data_set_page(q_dataset, client, world):
    client.force_login(world.users[Role.COMMITTEE_STAFF])

    response = client.post(
        f"/measurement/datasets/{q_dataset.pk}/",
        {"step": "choose", "model_choice": "custom", "custom_model": "{not json"},
    )

    assert "不是有效的 JSON" in response.content.decode()


def test_only_those_who_measure_map_and_another_organisations_data_set_is_not_found(
    q_dataset, client, world
):
    client.force_login(world.users[Role.WORKDEPT_STAFF])
    assert client.get(url(q_dataset) + "?model_choice=china").status_code == 403
    client.force_login(world.users[Role.AGENCY_STAFF])
    assert client.get(url(q_dataset) + "?model_choice=china").status_code == 404
    client.force_login(world.users[Role.ENTERPRISE_USER])
    assert client.post(url(q_dataset), run_post()).status_code == 404
    assert MeasurementRun.objects.count() == 0


def test_an_enterprise_maps_its_own_data_set(world, client):
    dataset = upload(world, renamed_csv("china", rename=q_names), role=Role.ENTERPRISE_USER)
    client.force_login(world.users[Role.ENTERPRISE_USER])

    response = client.get(url(dataset) + "?model_choice=china")

    assert response.status_code == 200
    assert "总体满意度（sat1）" in response.content.decode()
    client.force_login(world.outsider)
    assert client.get(url(dataset) + "?model_choice=china").status_code == 404
