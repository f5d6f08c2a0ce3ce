"""A run's model and result keep their key order in the database (PostgreSQL's jsonb would
sort them): the model's block order fixes the order of everything the engine returns, so a
re-run read back from the database must estimate in the same order and give the same bits."""

from manyi.accounts.roles import Role
from manyi.surveys.models import MeasurementRun

# Deliberately not in sorted order (jsonb would store SAT before IMAGE, sat1 before value1).
SPEC = {
    "blocks": {"VALUE": ["value2", "value1"], "SAT": ["sat1", "sat2"], "IMAGE": ["image1"]},
    "paths": [["IMAGE", "VALUE"], ["VALUE", "SAT"]],
}


def test_model_and_result_keep_their_key_order(dataset, world):
    run = MeasurementRun.objects.create(
        dataset=dataset,
        title="顺序",
        model_name="custom",
        model_spec=SPEC,
        data_hash=dataset.sha256,
        options={"scheme": "path", "missing": "mean"},
        column_map={"value2": "value2", "sat1": "sat1"},
        seed=1,
        created_by=world.users[Role.COMMITTEE_STAFF],
    )
    MeasurementRun.objects.filter(pk=run.pk).update(
        result={"index": {"VALUE": 1.0, "SAT": 2.0, "IMAGE": 3.0}},
        bootstrap_result={"htmt": {"SAT|VALUE": {}, "IMAGE|VALUE": {}, "IMAGE|SAT": {}}},
    )
    stored = MeasurementRun.objects.get(pk=run.pk)
    assert list(stored.model_spec["blocks"]) == ["VALUE", "SAT", "IMAGE"]
    assert list(stored.options) == ["scheme", "missing"]
    assert list(stored.column_map) == ["value2", "sat1"]
    assert list(stored.result["index"]) == ["VALUE", "SAT", "IMAGE"]
    assert list(stored.bootstrap_result["htmt"]) == ["SAT|VALUE", "IMAGE|VALUE", "IMAGE|SAT"]
    # A key lookup into the stored result works as on any JSON field.
    assert (
        MeasurementRun.objects.filter(pk=run.pk).values_list("result__index__SAT", flat=True)[0]
        == 2.0
    )
