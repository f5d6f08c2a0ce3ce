"""A run reads each indicator through its mapping and adds the report's story to the result:
importance–performance, impact, PLSpredict, the sample and the complaint rate."""

import datetime as dt
import math

import pytest
from django.utils import translation

from manyi import measurement
from manyi.accounts.roles import Role
from manyi.surveys import services
from manyi.surveys.sample import wilson_interval
from manyi.surveys.words import run_labels
from tests.surveys.mapping_helpers import preset_spec, q_names, renamed_csv, upload

pytestmark = pytest.mark.django_db

CHINA = preset_spec("china")
INDICATORS = [mv for block in CHINA["blocks"].values() for mv in block]
# 30 of 200 respondents complained, 10 did not answer the question.
COMPLAINTS = ["是"] * 30 + ["否"] * 160 + [""] * 10
OPTIONS = {"scheme": "path", "scaling": "standardized", "missing": "mean", "resamples": 49}


def computed(world, dataset, **kwargs):
    run = services.request_run(
        by=world.users[Role.COMMITTEE_STAFF],
        dataset=dataset,
        title="映射",
        model_name=kwargs.pop("model_name", "china"),
        model_spec=kwargs.pop("model_spec", CHINA),
        options=OPTIONS,
        seed=11,
        **kwargs,
    )
    run = services.execute_run(run=run)
    assert run.status == "done", run.error_message
    return run


@pytest.fixture
def named_run(world):
    dataset = upload(
        world, renamed_csv("china", groups=3, complaint=COMPLAINTS), group_column="企业"
    )
    return computed(world, dataset, complaint_column="投诉")


@pytest.fixture
def q_run(world):
    content = renamed_csv("china", groups=3, rename=q_names, complaint=COMPLAINTS)
    dictionary = {"Q11": "您对这家企业总体上满意吗"}  # sat1, worded by the uploader
    dataset = upload(world, content, group_column="企业", dictionary=dictionary)
    column_map = {ind: f"Q{i + 1}" for i, ind in enumerate(INDICATORS)}
    return computed(world, dataset, column_map=column_map, complaint_column="投诉")


def test_columns_named_q1_to_qn_give_the_numbers_of_columns_named_after_the_indicators(
    named_run, q_run
):
    for key in ("index", "paths", "loadings", "weights", "r2", "group_index", "impact", "ipma"):
        assert q_run.result[key] == named_run.result[key], key
    assert q_run.result["predict"] == named_run.result["predict"]
    assert q_run.bootstrap_result == named_run.bootstrap_result
    assert q_run.column_map["sat1"] == "Q11"


def test_the_run_equals_the_engine_on_the_mapped_columns(q_run):
    sim = measurement.simulate("china", n=200, seed=5, groups=3)
    data = {c: sim.data[c] for c in INDICATORS}
    direct = measurement.fit(data, CHINA, groups=list(sim.groups))

    for lv, value in direct.to_dict()["index"].items():
        assert q_run.result["index"][lv] == pytest.approx(value, abs=1e-12)
    expected = measurement.pls_predict(data, CHINA, folds=10, seed=11)
    assert q_run.result["predict"]["folds"] == 10
    assert q_run.result["predict"]["seed"] == 11
    assert q_run.result["predict"]["indicators"]["sat1"]["q2"] == pytest.approx(
        expected["indicators"]["sat1"]["q2"], abs=1e-12
    )
    assert q_run.result["impact"] == measurement.impact(direct, points=5)


def test_a_rerun_copies_the_mapping_and_gives_equal_numbers(q_run, world):
    again = services.execute_run(
        run=services.rerun(run=q_run, by=world.users[Role.COMMITTEE_STAFF])
    )

    assert again.column_map == q_run.column_map
    assert again.complaint_column == "投诉"
    assert again.result == q_run.result
    assert again.bootstrap_result == q_run.bootstrap_result


def test_the_complaint_rate_is_a_share_of_those_who_answered_with_wilsons_interval(q_run):
    complaints = q_run.result["complaints"]

    assert complaints["source"] == "column"
    assert complaints["name"] == "投诉"
    assert complaints["answered"] == 190
    assert complaints["yes"] == 30
    assert complaints["rate"] == pytest.approx(100 * 30 / 190)
    # Wilson by hand: (p + z²/2n ± z √(p(1−p)/n + z²/4n²)) / (1 + z²/n)
    p, n, z = 30 / 190, 190, 1.959963984540054
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert complaints["interval"] == pytest.approx([100 * (centre - half), 100 * (centre + half)])


def test_wilsons_interval_matches_newcombes_table():
    # Newcombe (1998), Statistics in Medicine 17:857, table I: 1/10 and 0/20.
    assert wilson_interval(1, 10) == pytest.approx((0.0179, 0.4042), abs=5e-5)
    assert wilson_interval(0, 20) == pytest.approx((0.0, 0.1611), abs=5e-5)
    assert wilson_interval(0, 0) is None


def test_without_a_complaint_column_the_yes_no_complaint_construct_gives_the_rate(world):
    dataset = upload(world, renamed_csv("acsi", n=200, seed=3))
    run = computed(world, dataset, model_name="acsi", model_spec=preset_spec("acsi"))
    sim = measurement.simulate("acsi", n=200, seed=3)
    yes = int(sum(sim.data["complaint1"]))

    assert run.model_spec["binary"] == ["complaint1"]
    assert run.result["complaints"] == {
        "source": "lv",
        "name": "COMPLAINT",
        "answered": 200,
        "yes": yes,
        "rate": pytest.approx(100 * yes / 200),
        "interval": pytest.approx([100 * v for v in wilson_interval(yes, 200)]),
    }


def test_a_run_without_a_complaint_question_has_no_complaint_rate(world):
    dataset = upload(world, renamed_csv("china", n=100))

    run = computed(world, dataset)

    assert "complaints" not in run.result


def test_the_sample_is_described_from_the_data_set(world):
    dataset = upload(
        world,
        renamed_csv("china", groups=3),
        group_column="企业",
        sample={
            "channel": "电话访问",
            "period_start": dt.date(2026, 3, 1),
            "period_end": dt.date(2026, 4, 15),
            "contacted": 800,
            "strata": "按区域分层",
        },
    )

    sample = computed(world, dataset).result["sample"]

    assert sample == {
        "n": 200,
        "n_rows": 200,
        "channel": "电话访问",
        "period": ["2026-03-01", "2026-04-15"],
        "contacted": 800,
        "response_rate": 0.25,
        "strata": "按区域分层",
        "groups": dataset.runs.get().result["group_n"],
    }
    assert sum(sample["groups"].values()) == 200


def test_groups_are_compared_with_the_rest_of_the_sample(q_run):
    comparison = q_run.result["group_comparison"]

    assert set(comparison) == {"企业G01", "企业G02", "企业G03"}
    assert set(comparison["企业G01"]["SAT"]) >= {"n", "index", "rest_index", "diff", "p"}


def test_the_importance_performance_points_are_named_by_the_dictionary_or_the_model(q_run):
    ipma = q_run.result["ipma"]
    by_indicator = {p["indicator"]: p["label"] for p in ipma["indicators"]}
    by_lv = {p["lv"]: p["label"] for p in ipma["constructs"]}

    assert by_lv["QUALITY"] == "感知质量"
    assert by_indicator["quality1"] == CHINA["labels"]["quality1"]
    assert "EXPECT" not in by_lv  # expectations are what customers bring, not a driver
    assert all(not label.startswith("Q") for label in by_indicator.values())


def test_run_labels_give_each_indicator_one_name_in_the_readers_language(q_run):
    with translation.override("zh-hans"):
        chinese = run_labels(q_run)
    with translation.override("en"):
        english = run_labels(q_run)

    assert chinese["sat1"] == "您对这家企业总体上满意吗"  # the uploader's wording of Q11
    assert chinese["sat2"] == CHINA["labels"]["sat2"]  # Q12 has no wording: the model's name
    assert chinese["SAT"] == "用户满意度"
    assert english["sat1"] == CHINA["labels_en"]["sat1"]
    assert english["SAT"] == CHINA["labels_en"]["SAT"]


def test_run_labels_of_a_custom_model_without_wording_fall_back_to_the_code(world):
    dataset = upload(world, renamed_csv("china", n=100, rename=q_names))
    spec = {"blocks": {"S": ["s1", "s2"], "L": ["l1", "l2"]}, "paths": [["S", "L"]]}
    run = computed(
        world,
        dataset,
        model_name="custom",
        model_spec=spec,
        column_map={"s1": "Q11", "s2": "Q12", "l1": "Q15", "l2": "Q16"},
    )

    assert run_labels(run) == {"S": "S", "L": "L", "s1": "s1", "s2": "s2", "l1": "l1", "l2": "l2"}
    # S is exogenous: no driver of L, so no map, and the run is done all the same.
    assert "ipma" not in run.result
