"""Every preset names its constructs and indicators in Chinese and in English; a model picks
the name by the language it is asked for, and names never change what is estimated."""

from __future__ import annotations

import re

import pytest

from manyi.measurement import Model, ModelError, list_presets, load_preset
from manyi.measurement.presets import preset_dict

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


@pytest.mark.parametrize("name", list_presets())
def test_every_preset_names_everything_in_chinese(name):
    model = load_preset(name)
    unnamed = [x for x in [*model.lvs, *model.indicators] if not CJK.search(model.label(x))]
    assert unnamed == []


@pytest.mark.parametrize("name", list_presets())
def test_every_preset_names_everything_in_english(name):
    model = load_preset(name)
    names = {x: model.label(x, "en") for x in [*model.lvs, *model.indicators]}
    assert [x for x, label in names.items() if label == x] == []
    assert [label for label in names.values() if CJK.search(label)] == []


def test_a_label_is_picked_by_language():
    model = load_preset("acsi")
    assert model.label("SAT") == "用户满意度"
    assert model.label("SAT", "zh-hans") == "用户满意度"
    assert model.label("SAT", "en") == "User satisfaction"
    assert model.label("SAT", "en-gb") == "User satisfaction"
    # A language the model does not name things in falls back to its "labels".
    assert model.label("SAT", "fr") == "用户满意度"


def test_english_names_travel_with_the_model_and_leave_its_hash_alone():
    model = load_preset("china")
    spec = model.to_dict()
    assert spec["labels_en"]["IMAGE"] == "Brand image"
    assert Model.from_dict(spec) == model
    without = {k: v for k, v in preset_dict("china").items() if k != "labels_en"}
    assert Model.from_dict(without).sha256() == model.sha256()


def test_a_names_key_must_hold_names():
    spec = load_preset("acsi").to_dict() | {"labels_en": ["SAT"]}
    with pytest.raises(ModelError) as error:
        Model.from_dict(spec)
    assert error.value.code == "invalid_model"


def test_an_unknown_key_is_still_refused():
    spec = load_preset("acsi").to_dict() | {"labelz": {}}
    with pytest.raises(ModelError) as error:
        Model.from_dict(spec)
    assert error.value.code == "invalid_model"
