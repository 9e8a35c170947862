"""Every URL of the portal, asked by every role: the status each must get (see tests/access/)."""

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import access
from tests.access import ROLES

# URLs outside the portal's own access rules: Django's admin checks is_staff itself, and the language switch
# and login pages are open to everybody by design (they are still listed in cases_portal.py).
EXEMPT_NAMESPACES = {"admin"}
OPEN_TO_ANONYMOUS = {"login", "logout", "set_language"}


def _all_cases():
    cases = []
    for module in pkgutil.iter_modules(access.__path__):
        if module.name.startswith("cases_"):
            cases += importlib.import_module(f"tests.access.{module.name}").CASES
    return cases


CASES = _all_cases()
PARAMS = [
    pytest.param(case, role, id=f"{case.label()}-{role}") for case in CASES for role in ROLES if role in case.expect
]


@pytest.mark.parametrize(("case", "role"), PARAMS)
def test_role_gets_expected_status(case, role, world, client_for):
    if case.setup:
        case.setup(world)
    url = reverse(case.url_name, kwargs=case.kwargs(world) if case.kwargs else None) + case.query
    client = client_for(world.user(role))
    data = case.data(world) if case.data else {}
    response = client.post(url, data) if case.method == "post" else client.get(url)
    expected = case.expect[role]
    allowed = expected if isinstance(expected, tuple) else (expected,)
    assert response.status_code in allowed, f"{role} {case.method.upper()} {url}: {response.status_code}"
    if role == "anonymous" and response.status_code == 302 and case.url_name not in OPEN_TO_ANONYMOUS:
        assert "/accounts/login/" in response["Location"]


def _url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            if ns in EXEMPT_NAMESPACES:
                continue
            yield from _url_names(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_is_in_the_permission_matrix():
    covered = {case.url_name for case in CASES}
    missing = sorted(set(_url_names()) - covered)
    assert not missing, f"URLs without a permission case in tests/access/: {missing}"


def test_every_case_asks_every_role():
    incomplete = [case.label() for case in CASES if set(case.expect) != set(ROLES)]
    assert not incomplete, f"Cases that leave out a role: {incomplete}"
