"""Preset models shipped as JSON files beside this module."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from ..errors import ModelError
from ..model import Model


@cache
def _preset_files() -> dict[str, Any]:
    folder = resources.files(__name__)
    return {
        entry.name[: -len(".json")]: entry
        for entry in folder.iterdir()
        if entry.name.endswith(".json")
    }


def list_presets() -> list[str]:
    """Names of the shipped preset models, sorted."""
    return sorted(_preset_files())


def is_preset(name: str) -> bool:
    """True when ``name`` (case-insensitive) is a shipped preset."""
    return name.lower() in _preset_files()


def preset_dict(name: str) -> dict[str, Any]:
    """The raw JSON of a preset (with labels and simulation settings)."""
    entry = _preset_files().get(name.lower())
    if entry is None:
        raise ModelError(
            "unknown_preset",
            f"no preset named {name!r}; available: {', '.join(list_presets())}",
            name=name,
        )
    return json.loads(entry.read_text(encoding="utf-8"))


def load_preset(name: str) -> Model:
    """The preset model ``name`` (e.g. ``"china"``, ``"acsi"``, ``"ecsi"``)."""
    return Model.from_dict(preset_dict(name), name=name.lower())


def describe_presets() -> list[dict[str, Any]]:
    """Name, title and size of each preset, for listings."""
    out = []
    for name in list_presets():
        raw = preset_dict(name)
        out.append(
            {
                "name": name,
                "title": raw.get("title", name),
                "lvs": len(raw["blocks"]),
                "indicators": sum(len(v) for v in raw["blocks"].values()),
            }
        )
    return out
