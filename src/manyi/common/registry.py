"""Find what each installed app contributes under a module name (``dashboard``, ``demo``).

The shell on top (``portal``) collects from the feature apps through this, so the apps never
import the shell and the shell lists no app by name.
"""

from functools import cache
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

from django.apps import apps


@cache
def app_modules(module_name: str) -> tuple[ModuleType, ...]:
    """Each installed app's ``<app>.<module_name>`` module that exists, in INSTALLED_APPS order.

    Looked up once per process: the dashboard asks on every request, and the set of installed
    apps does not change while the process runs.
    """
    found = []
    for config in apps.get_app_configs():
        dotted = f"{config.name}.{module_name}"
        try:
            spec = find_spec(dotted)
        except ModuleNotFoundError:  # the app's package itself is not importable as a package
            spec = None
        if spec is not None:
            found.append(import_module(dotted))
    return tuple(found)
