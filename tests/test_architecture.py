"""Architecture rules for ``src/manyi``, checked by reading the source with ``ast``.

The rules keep the layering that the apps rely on:

* ``manyi.common`` is the shared foundation, so it must not depend on any feature app;
* ``manyi.portal`` is the outermost layer that composes the apps, so nothing but the
  project's ``urls.py`` and settings may depend on it;
* underscore names are private to their module, so no module reaches into another's;
* views translate HTTP into service calls, so writes and activity logging stay in services;
* module-level imports must not form cycles, since a cycle makes import order matter.

Nothing is imported: the source is parsed, so the rules hold even for code paths the
suite never executes. Every test lists all offenders as ``file:line`` so one run shows
the whole picture, and every detector has a self-test on a synthetic snippet so the
real checks cannot pass vacuously.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = "manyi"
COMMON = "common"
PORTAL = "portal"

# Method names that write to the database when called on a model, form, manager or queryset.
WRITE_METHODS = frozenset(
    {"save", "create", "update", "delete", "get_or_create", "update_or_create"}
)


@dataclass(frozen=True)
class Module:
    """One parsed source file, with the names the rules need."""

    name: str  # dotted module name, e.g. "manyi.common.forms"
    path: str  # path shown in messages, relative to the repository
    is_package: bool  # an __init__.py, whose relative imports start at the package itself
    tree: ast.Module

    def where(self, node: ast.AST) -> str:
        """Return ``file:line`` for a node, the format every offender is reported in."""
        return f"{self.path}:{getattr(node, 'lineno', 0)}"


# --- collecting the source ------------------------------------------------------------


def module_name(path: Path, root: Path = SRC) -> tuple[str, bool]:
    """Return the dotted name of a source file and whether it is a package ``__init__``."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts.pop()
    return ".".join(parts), is_package


def parse_module(name: str, source: str, *, is_package: bool = False, path: str = "") -> Module:
    """Parse source text into a Module; the self-tests use it on synthetic snippets."""
    display = path or name.replace(".", "/") + ("/__init__.py" if is_package else ".py")
    return Module(name, display, is_package, ast.parse(source, filename=display))


@cache
def source_modules(src: Path = SRC) -> tuple[Module, ...]:
    """Parse every module under ``<src>/manyi`` except migrations, which Django generates.

    Parsed once per session, from disk, so the rules see the tree as it is now even while
    apps are being moved around. ``src`` is a parameter so another checkout can be checked.
    """
    modules = []
    for path in sorted((src / PACKAGE).rglob("*.py")):
        if "migrations" in path.relative_to(src).parts[:-1]:
            continue
        name, is_package = module_name(path, src)
        display = str(path.relative_to(src.parent))
        source = path.read_text(encoding="utf-8")
        modules.append(parse_module(name, source, is_package=is_package, path=display))
    return tuple(modules)


def known_module_names(modules: tuple[Module, ...]) -> frozenset[str]:
    """Names of all modules and packages, to tell ``from pkg import submodule`` from a name."""
    return frozenset(module.name for module in modules)


def feature_apps(root: Path = SRC / PACKAGE) -> frozenset[str]:
    """Every sub-package directly under ``manyi`` but ``common``: present and future apps alike."""
    return frozenset(
        child.name
        for child in root.iterdir()
        if child.is_dir() and (child / "__init__.py").exists() and child.name != COMMON
    )


# --- reading imports --------------------------------------------------------------------


def resolve_from(module: Module, node: ast.ImportFrom) -> str:
    """Return the absolute module a ``from … import`` reads from, resolving relative levels.

    ``from . import x`` in ``a/b/__init__.py`` means ``a.b``, but in ``a/b/c.py`` it also
    means ``a.b``: a package is its own anchor while a plain module's anchor is its parent.
    """
    if node.level == 0:
        return node.module or ""
    anchor = module.name.split(".")
    if not module.is_package:
        anchor = anchor[:-1]
    anchor = anchor[: len(anchor) - (node.level - 1)]
    return ".".join(anchor + ([node.module] if node.module else []))


def imported_targets(module: Module, node: ast.Import | ast.ImportFrom) -> list[str]:
    """Return the absolute dotted names one import statement brings in.

    ``from x import y`` yields ``x.y`` for each name, since ``y`` may be a submodule; callers
    that need the exact module trim it back with ``existing_module``.
    """
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = resolve_from(module, node)
    return [f"{base}.{alias.name}" if alias.name != "*" else base for alias in node.names]


def walk_in_order(tree: ast.AST) -> list[ast.AST]:
    """All nodes in source order (``ast.walk`` is breadth-first), so reports read top-down."""
    nodes = [node for node in ast.walk(tree) if hasattr(node, "lineno")]
    return sorted(nodes, key=lambda node: (node.lineno, node.col_offset))


def all_imports(module: Module) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement in a module, including those nested in functions and classes."""
    return [
        node for node in walk_in_order(module.tree) if isinstance(node, ast.Import | ast.ImportFrom)
    ]


def is_type_checking(test: ast.expr) -> bool:
    """Whether an ``if`` test is ``TYPE_CHECKING`` or ``typing.TYPE_CHECKING``."""
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def module_level_imports(module: Module) -> list[ast.Import | ast.ImportFrom]:
    """Imports that run when the module is imported, the only ones that can form a cycle.

    Function bodies are skipped because a function-level import is the deliberate way to
    defer a dependency; ``if TYPE_CHECKING:`` bodies are skipped because they never run.
    Other compound statements (``try``, ``if``, class bodies) do run at import time.
    """
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(statements: list[ast.stmt]) -> None:
        for statement in statements:
            if isinstance(statement, ast.Import | ast.ImportFrom):
                found.append(statement)
            elif isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            elif isinstance(statement, ast.If) and is_type_checking(statement.test):
                visit(statement.orelse)
            else:
                for field in ("body", "orelse", "finalbody", "handlers", "cases"):
                    children = getattr(statement, field, None) or []
                    for child in children:
                        visit(
                            child.body
                            if isinstance(child, ast.ExceptHandler | ast.match_case)
                            else [child]
                        )

    visit(module.tree.body)
    return found


def describe(module: Module, node: ast.Import | ast.ImportFrom) -> str:
    """The import statement as written, but with relative imports resolved to absolute."""
    names = ", ".join(
        alias.name + (f" as {alias.asname}" if alias.asname else "") for alias in node.names
    )
    if isinstance(node, ast.Import):
        return f"import {names}"
    return f"from {resolve_from(module, node)} import {names}"


def app_of(target: str) -> str | None:
    """The second component of ``manyi.<app>…``, or None for names outside the project."""
    parts = target.split(".")
    if parts[0] != PACKAGE or len(parts) < 2:
        return None
    return parts[1]


def in_package(name: str, package: str) -> bool:
    """Whether a dotted name is ``package`` itself or anything below it."""
    return name == package or name.startswith(package + ".")


def existing_module(target: str, known: frozenset[str]) -> str | None:
    """Trim a dotted name to the longest prefix that is a real module or package."""
    parts = target.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in known:
            return candidate
        parts.pop()
    return None


# --- rule a: common depends on no feature app -----------------------------------------


def common_app_imports(module: Module, apps: frozenset[str]) -> list[str]:
    """Imports of a feature app from inside ``manyi.common``.

    ``common`` is what the apps build on; if it imported an app the layering would be
    circular and ``common`` could not be reused or tested on its own. Top-level modules such
    as ``manyi.env`` and ``manyi.settings`` are not apps, so they remain allowed.
    """
    if not in_package(module.name, f"{PACKAGE}.{COMMON}"):
        return []
    return [
        f"{module.where(node)}: {describe(module, node)}"
        for node in all_imports(module)
        if any(app_of(target) in apps for target in imported_targets(module, node))
    ]


# --- rule b: only the project wiring depends on portal ----------------------------------


def is_portal_wiring(module: Module) -> bool:
    """The project's ``urls.py`` and settings modules, which are allowed to mount the portal."""
    return module.name == f"{PACKAGE}.urls" or module.name.startswith(f"{PACKAGE}.settings")


def portal_imports(module: Module) -> list[str]:
    """Imports of ``manyi.portal`` from outside it.

    The portal composes the apps; an app importing it would make the apps depend on the
    layer that depends on them.
    """
    portal = f"{PACKAGE}.{PORTAL}"
    if in_package(module.name, portal) or is_portal_wiring(module):
        return []
    return [
        f"{module.where(node)}: {describe(module, node)}"
        for node in all_imports(module)
        if any(in_package(target, portal) for target in imported_targets(module, node))
    ]


# --- rule c: no reaching into another module's private names ------------------------------


def is_private(name: str) -> bool:
    """A leading underscore that is not a dunder such as ``__version__``."""
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def import_bound_names(module: Module, known: frozenset[str]) -> dict[str, str]:
    """Local names bound to a module by an import, mapped to that module's name.

    ``import x`` always binds a module. ``from x import y`` may bind a class instead
    (``Model._meta`` is public Django API), so it counts only when ``x.y`` is one of the
    ``known`` project modules.
    """
    bound: dict[str, str] = {}
    for node in all_imports(module):
        if isinstance(node, ast.Import):
            for alias in node.names:
                head = alias.name.split(".")[0]
                bound[alias.asname or head] = alias.name if alias.asname else head
        elif node.module != "__future__":
            for alias, target in zip(node.names, imported_targets(module, node), strict=True):
                if target in known:
                    bound[alias.asname or alias.name] = target
    return bound


def private_imports(module: Module, known: frozenset[str]) -> list[str]:
    """``from x import _y`` and ``alias._y`` where ``alias`` is an imported module.

    A leading underscore marks a name as internal to its module; using it elsewhere couples
    the caller to details the owner is free to change. Dunders are public by convention.
    """
    offenders = []
    for node in all_imports(module):
        if isinstance(node, ast.ImportFrom) and node.module != "__future__":
            for alias in node.names:
                if is_private(alias.name):
                    source = resolve_from(module, node) or "."
                    offenders.append(f"{module.where(node)}: from {source} import {alias.name}")
    bound = import_bound_names(module, known)
    for node in walk_in_order(module.tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in bound
            and is_private(node.attr)
        ):
            offenders.append(
                f"{module.where(node)}: {node.value.id}.{node.attr} ({bound[node.value.id]})"
            )
    return offenders


# --- rule d: views neither write nor log ---------------------------------------------------


def is_views_module(module: Module) -> bool:
    """``views.py``, anything in a ``views/`` package, or ``*_views.py``."""
    parts = module.path.split("/")
    filename = parts[-1]
    return filename == "views.py" or filename.endswith("_views.py") or "views" in parts[:-1]


CONTAINER_FACTORIES = frozenset({"dict", "set", "defaultdict", "OrderedDict", "Counter"})


def is_container(value: ast.expr | None) -> bool:
    """Whether an expression builds an in-memory dict or set, whose ``update`` writes nothing."""
    if isinstance(value, ast.Dict | ast.Set | ast.DictComp | ast.SetComp):
        return True
    return (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id in CONTAINER_FACTORIES
    )


def own_nodes(scope: ast.AST) -> list[ast.AST]:
    """Nodes of a function or module body, excluding nested functions, which are scopes of their own."""
    found, pending = [], list(ast.iter_child_nodes(scope))
    while pending:
        node = pending.pop()
        found.append(node)
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            pending.extend(ast.iter_child_nodes(node))
    return found


def container_names(scope: ast.AST) -> set[str]:
    """Local names assigned a dict or set in this scope, e.g. ``context = {...}``."""
    names = set()
    for node in own_nodes(scope):
        if isinstance(node, ast.Assign) and is_container(node.value):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and is_container(node.value)
        ):
            names.add(node.target.id)
    return names


def write_call(call: ast.Call, containers: set[str]) -> str | None:
    """The name that makes a call a write or an activity log, or None for an ordinary call.

    ``context.update(...)`` on a dict built in the same function is a template context, not
    a database write, so calls on such local containers are not counted.
    """
    func = call.func
    if isinstance(func, ast.Name):
        return func.id if func.id == "log_activity" else None
    if not isinstance(func, ast.Attribute):
        return None
    if func.attr == "log_activity":
        return func.attr
    if func.attr not in WRITE_METHODS and not func.attr.startswith("bulk_"):
        return None
    if isinstance(func.value, ast.Name) and func.value.id in containers:
        return None
    return func.attr


def view_writes(module: Module) -> list[str]:
    """Calls in a views module that write to the database or record activity.

    Views should hand the request to a service, which owns the transaction and the activity
    log; a write in a view escapes both. The rule is syntactic, so ``x.save()`` is flagged
    whatever ``x`` is.
    """
    if not is_views_module(module):
        return []
    scopes = [module.tree] + [
        node
        for node in ast.walk(module.tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    found = []
    for scope in scopes:
        containers = container_names(scope)
        for node in own_nodes(scope):
            if isinstance(node, ast.Call) and (name := write_call(node, containers)):
                found.append(
                    (
                        node.lineno,
                        node.col_offset,
                        f"{module.where(node)}: {ast.unparse(node.func)}() [{name}]",
                    )
                )
    return [text for *_, text in sorted(found)]


# --- rule e: no import cycles --------------------------------------------------------------


def import_graph(modules: tuple[Module, ...]) -> dict[str, set[str]]:
    """Module-level edges between project modules.

    ``from manyi.x import y`` points at ``manyi.x.y`` when that is a module, else at
    ``manyi.x``; a name that no longer exists (mid-move) is trimmed to its nearest existing
    package rather than dropped, since that package is what Python would import.
    """
    known = known_module_names(modules)
    graph: dict[str, set[str]] = {module.name: set() for module in modules}
    for module in modules:
        for node in module_level_imports(module):
            for target in imported_targets(module, node):
                if app_of(target) is None and target != PACKAGE:
                    continue
                resolved = existing_module(target, known)
                if resolved and resolved != module.name:
                    graph[module.name].add(resolved)
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative so deep import chains cannot hit the recursion limit."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
    return components


def import_cycles(modules: tuple[Module, ...]) -> list[str]:
    """Each group of modules that import one another at module level, with its edges."""
    graph = import_graph(modules)
    cycles = []
    for component in strongly_connected(graph):
        if len(component) < 2:
            continue
        members = set(component)
        edges = [f"{a} -> {b}" for a in component for b in sorted(graph[a] & members)]
        cycles.append(f"cycle of {len(component)} modules:\n      " + "\n      ".join(edges))
    return sorted(cycles)


# --- reporting -------------------------------------------------------------------------------


def report(title: str, offenders: list[str]) -> str:
    """An assertion message that lists every offender, one per line."""
    return f"{title} ({len(offenders)}):\n  " + "\n  ".join(offenders)


def collect(detector, *args) -> list[str]:
    """Run a per-module detector over the whole source tree."""
    return [offender for module in source_modules() for offender in detector(module, *args)]


# --- the rules on the real source ----------------------------------------------------------


def test_source_tree_is_found():
    names = known_module_names(source_modules())
    assert f"{PACKAGE}.{COMMON}" in names
    assert f"{PACKAGE}.{PORTAL}" in names
    assert not any(".migrations" in name for name in names)


def test_common_does_not_import_feature_apps():
    offenders = collect(common_app_imports, feature_apps())
    assert not offenders, report("manyi.common imports a feature app", offenders)


def test_only_project_wiring_imports_portal():
    offenders = collect(portal_imports)
    assert not offenders, report("modules outside manyi.portal import it", offenders)


def test_no_private_names_imported_from_other_modules():
    offenders = collect(private_imports, known_module_names(source_modules()))
    assert not offenders, report("private names used across modules", offenders)


def test_views_do_not_write_or_log_activity():
    offenders = collect(view_writes)
    assert not offenders, report(
        "views that write or log activity (move it into a service)", offenders
    )


def test_no_module_level_import_cycles():
    cycles = import_cycles(source_modules())
    assert not cycles, report("module-level import cycles", cycles)


# --- the detectors catch what they are meant to ------------------------------------------


APPS = frozenset({"accounts", "portal", "surveys"})


def test_detector_flags_common_importing_an_app():
    module = parse_module(
        "manyi.common.forms",
        "import manyi.env\n"
        "from manyi import settings\n"
        "from manyi.common.models import Base\n"
        "from ..accounts import models\n"
        "def f():\n"
        "    from manyi.surveys.services import run\n"
        "import manyi.portal.views\n",
    )
    assert common_app_imports(module, APPS) == [
        "manyi/common/forms.py:4: from manyi.accounts import models",
        "manyi/common/forms.py:6: from manyi.surveys.services import run",
        "manyi/common/forms.py:7: import manyi.portal.views",
    ]
    outside = parse_module("manyi.surveys.forms", "from manyi.accounts import models\n")
    assert common_app_imports(outside, APPS) == []


def test_detector_flags_portal_imports_outside_portal():
    snippet = "from manyi.portal import navigation\ndef f():\n    import manyi.portal.views\n"
    app = parse_module("manyi.surveys.views", snippet)
    assert portal_imports(app) == [
        "manyi/surveys/views.py:1: from manyi.portal import navigation",
        "manyi/surveys/views.py:3: import manyi.portal.views",
    ]
    relative = parse_module("manyi.urls", "from .portal import urls\n")
    assert portal_imports(relative) == []
    assert portal_imports(parse_module("manyi.settings_test", snippet)) == []
    assert portal_imports(parse_module("manyi.portal.views", "from . import navigation\n")) == []
    sneaky = parse_module("manyi.wsgi", "from . import portal\n")
    assert portal_imports(sneaky) == ["manyi/wsgi.py:1: from manyi import portal"]


def test_detector_flags_private_import():
    module = parse_module(
        "manyi.surveys.views",
        "from __future__ import annotations\n"
        "from manyi import __version__\n"
        "from .services import _require_applicant, public\n"
        "from . import services\n"
        "import manyi.common.forms as forms\n"
        "from manyi.accounts.models import User\n"
        "def view():\n"
        "    services._require_applicant()\n"
        "    forms._helper\n"
        "    User._meta\n"
        "    services.__name__\n"
        "    local = object()\n"
        "    local._private\n",
    )
    known = frozenset({"manyi.surveys.services", "manyi.common.forms"})
    assert private_imports(module, known) == [
        "manyi/surveys/views.py:3: from manyi.surveys.services import _require_applicant",
        "manyi/surveys/views.py:8: services._require_applicant (manyi.surveys.services)",
        "manyi/surveys/views.py:9: forms._helper (manyi.common.forms)",
    ]


def test_detector_flags_writes_in_views():
    snippet = (
        "from manyi.common.actions import log_activity\n"
        "def view(request, form):\n"
        "    form.save()\n"
        "    Model.objects.bulk_create([])\n"
        "    log_activity(request.user, 'x')\n"
        "    actions.log_activity(request.user, 'x')\n"
        "    Model.objects.filter().update(x=1)\n"
        "    Model.objects.filter(x=1)\n"
        "    services.submit(form)\n"
        "    context = {'form': form}\n"
        "    context.update(extra=1)\n"
        "    seen: set[str] = set()\n"
        "    seen.update('ab')\n"
    )
    views = parse_module("manyi.surveys.views", snippet)
    assert [line.split(" [")[0] for line in view_writes(views)] == [
        "manyi/surveys/views.py:3: form.save()",
        "manyi/surveys/views.py:4: Model.objects.bulk_create()",
        "manyi/surveys/views.py:5: log_activity()",
        "manyi/surveys/views.py:6: actions.log_activity()",
        "manyi/surveys/views.py:7: Model.objects.filter().update()",
    ]
    for name, is_package in [
        ("manyi.applications.customer_views", False),
        ("manyi.applications.documents.views", True),
        ("manyi.applications.documents.views.pages", False),
    ]:
        assert view_writes(parse_module(name, snippet, is_package=is_package)), name
    assert view_writes(parse_module("manyi.surveys.services", snippet)) == []


def test_detector_finds_import_cycles():
    modules = (
        parse_module("manyi.a", "from manyi import b\n"),
        parse_module("manyi.b", "from manyi.c import thing\n"),
        parse_module("manyi.c", "import manyi.a\n"),
        parse_module("manyi.d", "def f():\n    import manyi.e\n"),
        parse_module(
            "manyi.e",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import manyi.d\nimport manyi.d\n",
        ),
        parse_module("manyi.pkg", "from . import sub\n", is_package=True),
        parse_module("manyi.pkg.sub", "from manyi.pkg import helper\n"),
        parse_module("manyi.f", "if TYPE_CHECKING:\n    import manyi.g\n"),
        parse_module("manyi.g", "try:\n    import manyi.f\nexcept ImportError:\n    pass\n"),
    )
    assert import_cycles(modules) == [
        "cycle of 2 modules:\n      manyi.pkg -> manyi.pkg.sub\n      manyi.pkg.sub -> manyi.pkg",
        "cycle of 3 modules:\n      manyi.a -> manyi.b\n      manyi.b -> manyi.c\n      manyi.c -> manyi.a",
    ]
