"""Find what each installed app contributes under a module name (``dashboard``, ``demo``).

The shell on top (``portal``) collects from the feature apps through this, so the apps never
import the shell and the shell lists no app by name.
"""

from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

from django.apps import apps


def app_modules(module_name: str) -> list[ModuleType]:
    """Each installed app's ``<app>.<module_name>`` module that exists, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        dotted = f"{config.name}.{module_name}"
        try:
            spec = find_spec(dotted)
        except ModuleNotFoundError:  # the app's package itself is not importable as a package
            spec = None
        if spec is not None:
            found.append(import_module(dotted))
    return found
