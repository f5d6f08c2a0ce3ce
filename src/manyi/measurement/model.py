"""The measurement model: latent variables, their indicator blocks, inner paths, modes.

A model is written as JSON::

    {"blocks": {"LV": ["indicator", ...], ...},
     "paths": [["FROM", "TO"], ...],
     "modes": {"LV": "A" | "B"},          # optional, default "A"
     "binary": ["indicator", ...],        # optional: yes/no items (1 = yes, 0 = no)
     "drivers": ["LV", ...],              # optional: LVs management can act on (IPMA)
     "labels": {"LV or indicator": "显示名"},  # optional, ignored by estimation
     "labels_en": {"LV or indicator": "Display name"}}  # optional, one per language

The order of ``blocks`` fixes the order of latent variables and indicators in
every array the engine returns.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import ModelError

#: keys the engine reads (all but "drivers" are part of the hash)
_ESTIMATION_KEYS = {"blocks", "paths", "modes", "binary", "drivers"}
#: keys a model JSON may carry besides the ones estimation uses
_PASSIVE_KEYS = {"labels", "name", "title", "description", "simulation", "source"}
#: "labels_en", "labels_zh-hant", …: the names in another language than "labels"
_TRANSLATED_LABELS = re.compile(r"^labels_([a-z]{2,3}(?:-[a-z0-9]+)*)$")


@dataclass(frozen=True)
class Model:
    """A validated PLS path model (structure only, no data)."""

    blocks: dict[str, tuple[str, ...]]
    paths: tuple[tuple[str, str], ...]
    modes: dict[str, str]
    labels: dict[str, str] = field(default_factory=dict)
    #: language code -> {LV or indicator: name}, from the "labels_<language>" keys
    translated_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    #: indicators answered yes/no (1 = yes, 0 = no): on a 0–1 scale whatever the questionnaire's
    binary: tuple[str, ...] = ()
    #: LVs management can act on, for importance–performance (empty: the default rule)
    drivers: tuple[str, ...] = ()
    name: str | None = field(default=None, compare=False)
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    # -- construction -------------------------------------------------
    @classmethod
    def from_dict(cls, spec: Mapping[str, Any], *, name: str | None = None) -> Model:
        """Build and validate a model from its JSON form (raises ModelError)."""
        if not isinstance(spec, Mapping):
            raise ModelError("invalid_model", "a model must be a JSON object")
        translated = {
            match.group(1): key for key in spec if (match := _TRANSLATED_LABELS.match(str(key)))
        }
        unknown = set(spec) - _ESTIMATION_KEYS - _PASSIVE_KEYS - set(translated.values())
        if unknown:
            raise ModelError(
                "invalid_model",
                f"unknown model keys: {', '.join(sorted(unknown))}",
                keys=sorted(unknown),
            )
        blocks = _parse_blocks(spec.get("blocks"))
        paths = _parse_paths(spec.get("paths"))
        modes = _parse_modes(spec.get("modes", {}), blocks)
        binary = _parse_binary(spec.get("binary", []), blocks)
        drivers = _parse_drivers(spec.get("drivers", []), blocks)
        labels = spec.get("labels", {}) or {}
        if not isinstance(labels, Mapping):
            raise ModelError("invalid_model", "'labels' must be an object")
        translated_labels = {}
        for language, key in translated.items():
            names = spec[key] or {}
            if not isinstance(names, Mapping):
                raise ModelError("invalid_model", f"{key!r} must be an object")
            translated_labels[language] = {str(k): str(v) for k, v in names.items()}
        model = cls(
            blocks=blocks,
            paths=paths,
            modes=modes,
            labels={str(k): str(v) for k, v in labels.items()},
            translated_labels=translated_labels,
            binary=binary,
            drivers=drivers,
            name=name or spec.get("name"),
            extra={
                k: spec[k] for k in ("title", "description", "simulation", "source") if k in spec
            },
        )
        model._check_structure()
        return model

    def _check_structure(self) -> None:
        lvs = set(self.blocks)
        for a, b in self.paths:
            for lv in (a, b):
                if lv not in lvs:
                    raise ModelError(
                        "unknown_lv", f"path {a}->{b} names {lv!r}, which has no block", lv=lv
                    )
            if a == b:
                raise ModelError("cyclic_model", f"self-loop on {a!r}", lvs=[a])
        if len(set(self.paths)) != len(self.paths):
            raise ModelError("invalid_model", "a path is listed twice")
        connected = {lv for path in self.paths for lv in path}
        isolated = [lv for lv in self.blocks if lv not in connected]
        if isolated:
            raise ModelError(
                "isolated_lv",
                f"latent variable(s) with no inner path: {', '.join(isolated)}",
                lvs=isolated,
            )
        self.topological_order()  # raises cyclic_model

    # -- views ----------------------------------------------------------
    @property
    def lvs(self) -> list[str]:
        """Latent variable names, in block order."""
        return list(self.blocks)

    @property
    def indicators(self) -> list[str]:
        """All indicator names, block after block."""
        return [mv for block in self.blocks.values() for mv in block]

    def binary_lvs(self) -> list[str]:
        """LVs whose indicators are all yes/no items (their index is a percentage of yes)."""
        binary = set(self.binary)
        return [lv for lv, mvs in self.blocks.items() if all(mv in binary for mv in mvs)]

    @property
    def endogenous(self) -> list[str]:
        """Latent variables that receive at least one path, in block order."""
        targets = {b for _, b in self.paths}
        return [lv for lv in self.blocks if lv in targets]

    def predecessors(self, lv: str) -> list[str]:
        """LVs with a path into ``lv``, in block order."""
        sources = {a for a, b in self.paths if b == lv}
        return [x for x in self.blocks if x in sources]

    def topological_order(self) -> list[str]:
        """LVs ordered so every path goes forward (Kahn); raises on a cycle."""
        indegree = dict.fromkeys(self.blocks, 0)
        for _, b in self.paths:
            indegree[b] += 1
        ready = [lv for lv in self.blocks if indegree[lv] == 0]
        order: list[str] = []
        while ready:
            lv = ready.pop(0)
            order.append(lv)
            for a, b in self.paths:
                if a == lv:
                    indegree[b] -= 1
                    if indegree[b] == 0:
                        ready.append(b)
        if len(order) != len(self.blocks):
            cyclic = [lv for lv in self.blocks if lv not in order]
            raise ModelError(
                "cyclic_model",
                f"the inner paths form a cycle through {', '.join(cyclic)}",
                lvs=cyclic,
            )
        return order

    def label(self, name: str, language: str | None = None) -> str:
        """Display label of an LV or indicator in ``language`` (e.g. "en"; a regional code
        such as "en-gb" falls back to "en"), else from "labels", else its name."""
        for code in _language_chain(language):
            if name in self.translated_labels.get(code, {}):
                return self.translated_labels[code][name]
        return self.labels.get(name, name)

    # -- serialisation ----------------------------------------------------
    def to_dict(self, *, with_labels: bool = True) -> dict[str, Any]:
        """JSON form (round-trips through :meth:`from_dict`)."""
        out: dict[str, Any] = {
            "blocks": {lv: list(mvs) for lv, mvs in self.blocks.items()},
            "paths": [list(p) for p in self.paths],
            "modes": dict(self.modes),
        }
        # only when given, so that the hash of a model without them is what it always was
        if self.binary:
            out["binary"] = list(self.binary)
        # drivers change no estimate, only which LVs the importance–performance map shows:
        # like the labels they stay out of the hash, so adding them to a preset keeps its hash
        if with_labels and self.drivers:
            out["drivers"] = list(self.drivers)
        if with_labels and self.labels:
            out["labels"] = dict(self.labels)
        if with_labels:
            for language, names in self.translated_labels.items():
                out[f"labels_{language}"] = dict(names)
        return out

    def canonical_json(self) -> str:
        """The estimation-relevant part as canonical JSON (labels excluded)."""
        return json.dumps(self.to_dict(with_labels=False), sort_keys=True, separators=(",", ":"))

    def sha256(self) -> str:
        """Hash of :meth:`canonical_json`: equal hashes mean equal estimation input."""
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()


def _language_chain(language: str | None) -> list[str]:
    """ "en-gb" -> ["en-gb", "en"]; None -> []."""
    if not language:
        return []
    code = language.lower()
    return [code, code.split("-")[0]] if "-" in code else [code]


def _parse_blocks(raw: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, Mapping) or not raw:
        raise ModelError(
            "invalid_model", "'blocks' must be a non-empty object of LV -> indicator list"
        )
    blocks: dict[str, tuple[str, ...]] = {}
    seen: dict[str, str] = {}
    for lv, mvs in raw.items():
        if not isinstance(lv, str) or not lv:
            raise ModelError("invalid_model", "latent variable names must be non-empty strings")
        if isinstance(mvs, str) or not isinstance(mvs, Iterable):
            raise ModelError(
                "invalid_model", f"block {lv!r} must be a list of indicator names", lv=lv
            )
        mvs = list(mvs)
        if not mvs:
            raise ModelError("empty_block", f"latent variable {lv!r} has no indicators", lv=lv)
        for mv in mvs:
            if not isinstance(mv, str) or not mv:
                raise ModelError(
                    "invalid_model", f"block {lv!r}: indicator names must be strings", lv=lv
                )
            if mv in seen:
                raise ModelError(
                    "duplicate_indicator",
                    f"indicator {mv!r} appears in {seen[mv]!r} and {lv!r}",
                    indicator=mv,
                    lvs=[seen[mv], lv],
                )
            seen[mv] = lv
        blocks[lv] = tuple(mvs)
    return blocks


def _parse_paths(raw: Any) -> tuple[tuple[str, str], ...]:
    if raw is None or isinstance(raw, str | bytes) or not isinstance(raw, Iterable):
        raise ModelError("invalid_model", "'paths' must be a list of [FROM, TO] pairs")
    paths = []
    for item in raw:
        if isinstance(item, str) and "->" in item:  # tolerate "A->B" shorthand
            item = [part.strip() for part in item.split("->")]
        if isinstance(item, str) or not isinstance(item, Iterable):
            raise ModelError("invalid_model", f"path {item!r} is not a [FROM, TO] pair")
        pair = list(item)
        if len(pair) != 2 or not all(isinstance(x, str) for x in pair):
            raise ModelError("invalid_model", f"path {item!r} is not a [FROM, TO] pair")
        paths.append((pair[0], pair[1]))
    return tuple(paths)


def _parse_modes(raw: Any, blocks: dict[str, tuple[str, ...]]) -> dict[str, str]:
    if not isinstance(raw, Mapping):
        raise ModelError("invalid_model", "'modes' must be an object of LV -> 'A' | 'B'")
    for lv, mode in raw.items():
        if lv not in blocks:
            raise ModelError("unknown_lv", f"mode given for {lv!r}, which has no block", lv=lv)
        if str(mode).upper() not in ("A", "B"):
            raise ModelError(
                "invalid_mode", f"mode of {lv!r} must be 'A' or 'B', not {mode!r}", lv=lv
            )
    return {lv: str(raw.get(lv, "A")).upper() for lv in blocks}


def _name_list(raw: Any, key: str) -> list[str]:
    if isinstance(raw, str | bytes) or not isinstance(raw, Iterable):
        raise ModelError("invalid_model", f"'{key}' must be a list of names")
    names = list(raw)
    if not all(isinstance(x, str) and x for x in names):
        raise ModelError("invalid_model", f"'{key}' must be a list of non-empty strings")
    if len(set(names)) != len(names):
        raise ModelError("invalid_model", f"'{key}' names an item twice")
    return names


def _parse_binary(raw: Any, blocks: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """Yes/no indicators, in model indicator order (so equal sets give equal hashes)."""
    names = _name_list(raw, "binary")
    indicators = [mv for mvs in blocks.values() for mv in mvs]
    unknown = [x for x in names if x not in set(indicators)]
    if unknown:
        raise ModelError(
            "invalid_model",
            f"'binary' names indicator(s) that are not in the model: {', '.join(unknown)}",
            indicators=unknown,
        )
    return tuple(mv for mv in indicators if mv in set(names))


def _parse_drivers(raw: Any, blocks: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """Driver LVs, in block order."""
    names = _name_list(raw, "drivers")
    unknown = [x for x in names if x not in blocks]
    if unknown:
        raise ModelError(
            "unknown_lv",
            f"'drivers' names latent variable(s) that have no block: {', '.join(unknown)}",
            lvs=unknown,
        )
    return tuple(lv for lv in blocks if lv in set(names))


def load_model(source: Model | Mapping[str, Any] | str | os.PathLike[str]) -> Model:
    """A :class:`Model` from a Model, a dict, a preset name, a JSON file path or JSON text."""
    if isinstance(source, Model):
        return source
    if isinstance(source, Mapping):
        return Model.from_dict(source)
    if isinstance(source, os.PathLike | str):
        text = os.fspath(source)
        if text.lstrip().startswith("{"):
            return Model.from_dict(_loads(text, "model text"))
        from .presets import is_preset, load_preset

        if is_preset(text):
            return load_preset(text)
        if os.path.isfile(text):
            with open(text, encoding="utf-8-sig") as fh:
                return Model.from_dict(_loads(fh.read(), text))
        raise ModelError(
            "unknown_preset", f"{text!r} is neither a preset name nor a model file", name=text
        )
    raise ModelError("invalid_model", f"cannot read a model from {type(source).__name__}")


def _loads(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ModelError(
            "invalid_model", f"{where}: invalid JSON ({exc.msg} at line {exc.lineno})"
        ) from exc


def validate_model(model: Model | Mapping[str, Any] | str, columns: Iterable[str]) -> Model:
    """Check that every indicator of ``model`` is among the data ``columns``.

    Returns the loaded model; raises ``ModelError("unknown_indicator")`` naming
    all missing indicators at once so a UI can list them together.
    """
    model = load_model(model)
    available = set(columns)
    missing = [mv for mv in model.indicators if mv not in available]
    if missing:
        raise ModelError(
            "unknown_indicator",
            f"indicator(s) not found in the data: {', '.join(missing)}",
            indicators=missing,
        )
    return model
