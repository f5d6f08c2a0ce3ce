"""Manyi satisfaction-measurement engine: PLS path modelling, indices, bootstrap.

Plain numpy/scipy — no Django.  See docs/measurement.md.
"""

from .bootstrap import BootstrapResult, bootstrap
from .errors import ERROR_CODES, ModelError
from .fit import fit
from .ipa import importance_performance, ipa_echarts_option
from .ipma import impact, ipma
from .model import Model, load_model, validate_model
from .predict import pls_predict
from .presets import describe_presets, list_presets, load_preset
from .results import PLSResult
from .simulate import Population, Simulation, population, simulate
from .version import ENGINE_VERSION

__all__ = [
    "BootstrapResult",
    "ENGINE_VERSION",
    "ERROR_CODES",
    "Model",
    "ModelError",
    "PLSResult",
    "Population",
    "Simulation",
    "bootstrap",
    "describe_presets",
    "fit",
    "impact",
    "importance_performance",
    "ipa_echarts_option",
    "ipma",
    "list_presets",
    "load_model",
    "load_preset",
    "pls_predict",
    "population",
    "simulate",
    "validate_model",
]
