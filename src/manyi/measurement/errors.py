"""The one exception the engine raises, and the catalogue of its codes.

The Django layer maps each ``code`` to a Chinese message, so codes are part of
the public contract: add new ones, never rename old ones.
"""

from __future__ import annotations

from typing import Any

#: code -> short English description (documented in docs/measurement.md).
ERROR_CODES: dict[str, str] = {
    "invalid_model": "The model description is malformed (it must be an object with 'blocks' and 'paths').",
    "unknown_preset": "No preset model has that name.",
    "empty_block": "A latent variable has no indicators.",
    "duplicate_indicator": "An indicator is assigned to more than one latent variable, or twice to one.",
    "unknown_lv": "A path or mode names a latent variable that has no block.",
    "isolated_lv": "A latent variable takes part in no inner path.",
    "cyclic_model": "The inner paths contain a cycle or a self-loop; only recursive models are supported.",
    "invalid_mode": "A block mode is neither 'A' (reflective) nor 'B' (formative).",
    "unknown_indicator": "An indicator named in the model is not a column of the data.",
    "invalid_data": "The data cannot be read as a numeric matrix (bad file, non-numeric or infinite value, wrong shape).",
    "constant_indicator": "An indicator has no variance (all observed values equal, or none observed).",
    "too_few_observations": "Too few usable observations to estimate the model.",
    "not_converged": "The PLS iterations did not converge within the iteration limit.",
    "singular": "A Mode B block's indicators, or the latent variables of a regression, are perfectly collinear.",
    "invalid_option": "An estimation option has an unsupported value.",
    "invalid_groups": "The group vector does not have one label per data row.",
}


class ModelError(ValueError):
    """A model that cannot be estimated on the given data.

    ``code`` is one of :data:`ERROR_CODES`; ``details`` carries the names
    involved (e.g. ``{"indicators": ["sat4"]}``) so a UI can point at them.
    """

    def __init__(self, code: str, message: str, **details: Any) -> None:
        if code not in ERROR_CODES:  # a programming error, not a user error
            raise KeyError(f"unknown ModelError code {code!r}")
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: code, message and details."""
        return {"code": self.code, "message": self.message, "details": self.details}

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"
