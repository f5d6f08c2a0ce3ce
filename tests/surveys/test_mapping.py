"""The mapping of a model's indicators to a data set's columns: proposed, checked, stored."""

import pytest
from django.core.exceptions import ValidationError

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog
from manyi.surveys import services
from manyi.surveys.mapping import auto_match, check_mapping, guess_complaint_column, normalised
from manyi.surveys.models import MeasurementRun
from tests.surveys.mapping_helpers import preset_spec, q_names, renamed_csv, upload

pytestmark = pytest.mark.django_db

CHINA = preset_spec("china")
INDICATORS = [mv for block in CHINA["blocks"].values() for mv in block]


def test_names_are_compared_without_case_spaces_or_punctuation():
    assert normalised("Sat_1") == "sat1"
    assert normalised(" SAT-1 ") == "sat1"
    assert normalised("总体满意度。") == "总体满意度"
    assert normalised("ＳＡＴ１") == "sat1"  # full-width, as Chinese keyboards type it


def test_exact_names_match_first(world):
    dataset = upload(world, renamed_csv("china"))

    assert auto_match(CHINA, dataset) == {ind: ind for ind in INDICATORS}


def test_names_in_another_case_or_with_punctuation_match(world):
    dataset = upload(world, renamed_csv("china", rename=lambda i, name: name.upper() + "_"))

    matched = auto_match(CHINA, dataset)

    assert matched["sat1"] == "SAT1_"
    assert matched["image2"] == "IMAGE2_"
    assert len(matched) == len(INDICATORS)


def test_dictionary_wording_equal_to_the_indicators_name_matches(world):
    content = renamed_csv("china", rename=q_names)
    dictionary = {f"Q{i + 1}": CHINA["labels"][ind] for i, ind in enumerate(INDICATORS)}
    # One column worded in English, as the preset's English name.
    dictionary["Q1"] = CHINA["labels_en"]["image1"]
    dataset = upload(world, content, dictionary=dictionary)

    matched = auto_match(CHINA, dataset)

    assert matched == {ind: f"Q{i + 1}" for i, ind in enumerate(INDICATORS)}


def test_columns_without_a_fitting_name_or_wording_are_left_to_the_person(world):
    dataset = upload(world, renamed_csv("china", rename=q_names))

    assert auto_match(CHINA, dataset) == {}


def test_a_column_is_proposed_once_and_never_the_group_column(world):
    content = renamed_csv("ecsi", groups=3, extra={"SAT1": ["5"] * 200})
    dataset = upload(world, content, group_column="企业")
    spec = preset_spec("ecsi")

    matched = auto_match(spec, dataset)

    assert matched["sat1"] == "sat1"  # the exact name wins over "SAT1"
    assert "SAT1" not in matched.values()
    assert "企业" not in matched.values()


def test_the_complaint_column_is_guessed_when_one_yes_no_column_reads_so(world):
    content = renamed_csv("china", complaint=["是" if i % 5 == 0 else "否" for i in range(200)])
    dataset = upload(world, content)

    assert dataset.binary_columns == ["投诉"]
    assert guess_complaint_column(dataset, auto_match(CHINA, dataset)) == "投诉"


# Refusals


@pytest.fixture
def q_dataset(world):
    extra = {"备注": ["好"] * 200, "是否回访": ["1" if i % 3 else "0" for i in range(200)]}
    return upload(world, renamed_csv("china", rename=q_names, extra=extra))


def full_map() -> dict[str, str]:
    return {ind: f"Q{i + 1}" for i, ind in enumerate(INDICATORS)}


def messages_of(spec, dataset, column_map, **kwargs) -> list[str]:
    with pytest.raises(ValidationError) as exc:
        check_mapping(spec, dataset, column_map, **kwargs)
    return exc.value.messages


def test_a_complete_mapping_passes_and_keeps_the_model(q_dataset):
    stored = check_mapping(CHINA, q_dataset, full_map(), preset=True)

    assert stored["blocks"] == CHINA["blocks"]
    assert "binary" not in stored


def test_an_indicator_left_unmapped_is_named(q_dataset):
    column_map = full_map() | {"sat2": ""}

    assert messages_of(CHINA, q_dataset, column_map) == [
        "以下指标还没有选择对应的变量：与预期相比的满意度（sat2）"
    ]


def test_a_column_used_twice_is_named_with_both_indicators(q_dataset):
    column_map = full_map() | {"sat2": "Q1"}

    assert messages_of(CHINA, q_dataset, column_map) == [
        "变量“Q1”被同时用于多个指标：企业（品牌）总体形象（image1）、与预期相比的满意度（sat2）"
    ]


def test_a_text_column_and_an_unknown_column_are_refused(q_dataset):
    column_map = full_map() | {"sat1": "备注", "sat2": "Q999"}

    assert messages_of(CHINA, q_dataset, column_map) == [
        "数据中没有这些变量：Q999",
        "这些变量不是数值变量，不能用于测评：备注",
    ]


def test_a_yes_no_column_on_a_scale_indicator_of_a_preset_is_refused(q_dataset):
    column_map = full_map() | {"sat1": "是否回访"}

    assert messages_of(CHINA, q_dataset, column_map, preset=True) == [
        "是否题变量只能对应模型中的是否题指标，以下指标须选择量表题变量：总体满意度（sat1）"
    ]


def test_a_yes_no_column_makes_a_custom_models_indicator_yes_no(q_dataset):
    spec = {"blocks": {"S": ["s1", "s2"], "V": ["v1"]}, "paths": [["V", "S"]]}

    stored = check_mapping(spec, q_dataset, {"s1": "Q1", "s2": "Q2", "v1": "是否回访"})

    assert stored["binary"] == ["v1"]


def test_a_scale_column_on_a_yes_no_indicator_is_refused(world):
    dataset = upload(world, renamed_csv("acsi", rename=q_names))
    spec = preset_spec("acsi")
    indicators = [mv for block in spec["blocks"].values() for mv in block]
    column_map = {ind: f"Q{i + 1}" for i, ind in enumerate(indicators)}
    column_map["complaint1"], column_map["loyal1"] = column_map["loyal1"], column_map["complaint1"]

    assert messages_of(spec, dataset, column_map, preset=True) == [
        "是否题变量只能对应模型中的是否题指标，以下指标须选择量表题变量：再次购买的可能性（loyal1）",
        "以下指标是是否题，须选择只含 1/0 或 是/否 的变量：是否投诉过（complaint1）",
    ]


def test_a_complaint_column_must_be_yes_no(q_dataset):
    assert messages_of(CHINA, q_dataset, full_map(), complaint_column="Q3") == [
        "投诉变量“Q3”不是是否题（只含 1/0 或 是/否）"
    ]


def test_request_run_refuses_a_bad_mapping_and_stores_nothing(q_dataset, world, run_options):
    with pytest.raises(ValidationError, match="被同时用于多个指标"):
        services.request_run(
            by=world.users[Role.COMMITTEE_STAFF],
            dataset=q_dataset,
            title="x",
            model_name="china",
            model_spec=CHINA,
            options=run_options,
            seed=1,
            column_map=full_map() | {"sat2": "Q1"},
        )

    assert MeasurementRun.objects.count() == 0
    assert not ActivityLog.objects.filter(action="measurement.request").exists()


def test_request_run_stores_the_mapping_and_logs_the_renamed_columns(q_dataset, world, run_options):
    run = services.request_run(
        by=world.users[Role.COMMITTEE_STAFF],
        dataset=q_dataset,
        title="x",
        model_name="china",
        model_spec=CHINA,
        options=run_options,
        seed=1,
        column_map=full_map(),
        complaint_column="是否回访",
    )

    assert run.column_map == full_map()
    assert run.complaint_column == "是否回访"
    entry = ActivityLog.objects.get(action="measurement.request", object_id=str(run.pk))
    assert entry.after["column_map"]["sat1"] == "Q11"
    assert entry.after["complaint_column"] == "是否回访"
