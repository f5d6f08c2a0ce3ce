"""Every URL pattern × every role × GET and POST gives the status the matrix says."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access_matrix import MATRIX
from tests.conftest import ROLES


def all_url_names(patterns=None, namespace=None):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from all_url_names(pattern.url_patterns, full)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, (
                f"URL pattern {pattern.pattern} has no name, so no access rule can name it"
            )
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_has_an_access_rule():
    names = set(all_url_names())
    missing = sorted(names - set(MATRIX))
    assert not missing, f"URL patterns without an entry in tests/access_matrix.py: {missing}"
    stale = sorted(set(MATRIX) - names)
    assert not stale, f"Access rules for URLs that no longer exist: {stale}"


def test_every_rule_covers_every_role():
    for name, rule in MATRIX.items():
        for method in ("GET", "POST"):
            assert set(rule[method]) == set(ROLES), f"{name} {method} does not name every role"


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(role, world, matrix_extras, client_for):
    failures = []
    for name, rule in MATRIX.items():
        kwargs = rule["kwargs"](world, matrix_extras) if "kwargs" in rule else {}
        url = reverse(name, kwargs=kwargs)
        for method in ("GET", "POST"):
            client = client_for(role)
            response = client.get(url) if method == "GET" else client.post(url, {})
            expected = rule[method][role]
            if response.status_code != expected:
                failures.append(
                    f"{method} {url} ({name}) as {role}: {response.status_code}, expected {expected}"
                )
    assert not failures, "\n".join(failures)
