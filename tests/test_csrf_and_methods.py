"""Every state-changing view changes data only on POST, and refuses a POST without a CSRF token.

The URL patterns are walked at test time, so views added later are covered without editing this file.
Team convention: mutation URL names contain one of MUTATION_WORDS; on GET such a view answers 405
(require_POST) or shows a confirmation page whose form POSTs back. No view changes the database on
GET: every URL is requested with real object ids (picked by the model named in the URL name).
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

MUTATION_WORDS = ("delete", "remove", "submit", "approve", "return", "reopen", "archive", "unlock", "clear",
                  "set_active", "reset_password", "send", "mark_read", "logout", "request", "publish", "unpublish",
                  "compile", "include")
MUTATION_NAME = re.compile(r"(^|[_\-:])(" + "|".join(MUTATION_WORDS) + r")($|[_\-])")
SKIP_PREFIXES = ("admin:", "djdt:")
# Sessions and security events may grow on any request; auditlog entries must not (they mean an update).
VOLATILE_TABLES = {"django_session", "audit_securityevent", "axes_accesslog",
                   "axes_accessattempt", "axes_accessfailurelog"}


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name or ''}", prefix + str(entry.pattern), entry


def _sample_path(route: str) -> str:
    # Fill every converter with a value that parses; the object need not exist for a 405 or a 403.
    path = re.sub(r"<int:[^>]+>", "999999", route)
    path = re.sub(r"<uuid:[^>]+>", "00000000-0000-0000-0000-000000000000", path)
    path = re.sub(r"<(?:str|slug)?:?[^>]+>", "x", path)
    path = path.replace("^", "").replace("$", "")
    return "/" + path


def _routes(*, raw: bool = False) -> list[tuple[str, str]]:
    found = []
    for name, route, _pattern in _walk(get_resolver()):
        if name.startswith(SKIP_PREFIXES) or "(?P" in route or "\\" in route:
            continue
        found.append((name, route if raw else _sample_path(route)))
    return found


def _mutation_routes() -> list[tuple[str, str]]:
    return [(n, r) for n, r in _routes(raw=True) if MUTATION_NAME.search(n)]


# Which model an <int:…> in a URL refers to, guessed from the URL name (first match wins).
_MODEL_HINTS = [("attachment", "reports.Attachment"), ("report", "reports.Report"), ("period", "reports.Period"),
                ("obligation", "reports.Obligation"), ("chapter", "tasks.Chapter"), ("item", "tasks.WorkItem"),
                ("group", "tasks.UnitGroup"), ("alias", "tasks.Alias"), ("unit", "tasks.Unit"),
                ("plan", "tasks.Plan"), ("user", "accounts.User"), ("import", "tasks.DocumentImport")]


def _real_path(name: str, route: str) -> str:
    def pick(_match: re.Match) -> str:
        for hint, label in _MODEL_HINTS:
            if hint in name.split(":")[-1]:
                try:
                    obj = apps.get_model(label)._default_manager.order_by("pk").first()
                except LookupError:
                    continue
                if obj is not None:
                    return str(obj.pk)
        return "999999"

    return _sample_path(re.sub(r"<int:[^>]+>", pick, route))


def test_the_walk_finds_the_known_mutation_views():
    names = {n for n, _ in _mutation_routes()}
    assert {"accounts:user_set_active", "accounts:lockout_clear", "accounts:user_reset_password", "logout"} <= names


@pytest.mark.parametrize(("name", "route"), _mutation_routes(), ids=[n for n, _ in _mutation_routes()])
def test_mutation_views_refuse_get_or_only_confirm(coordinator_client, small_plan, name, route):
    path = _real_path(name, route)
    response = coordinator_client.get(path)
    if response.status_code == 405:
        return
    # A confirmation page: it must ask for a POST (with a token) rather than act.
    assert response.status_code == 200, f"{name} ({path}) answered GET with {response.status_code}"
    text = response.content.decode()
    assert 'method="post"' in text and "csrfmiddlewaretoken" in text, f"{name} acted on GET?"


def _csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


@pytest.mark.parametrize(("name", "path"), _routes(), ids=[n for n, _ in _routes()])
def test_no_view_accepts_a_post_without_a_csrf_token(coordinator, name, path):
    response = _csrf_client(coordinator).post(path, {"active": "0", "username": "x"})
    assert response.status_code == 403, f"{name} ({path}) answered a token-less POST with {response.status_code}"


def _row_counts() -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        if model._meta.db_table not in VOLATILE_TABLES and model._meta.managed:
            counts[model._meta.label] = model._default_manager.count()
    return counts


@pytest.mark.parametrize(("name", "route"), _routes(raw=True), ids=[n for n, _ in _routes()])
def test_get_never_changes_the_database(coordinator_client, coordinator, small_plan, liaison_a, leader,
                                        name, route):
    path = _real_path(name, route)
    before = _row_counts()
    coordinator_client.get(path)
    assert _row_counts() == before, path


def test_a_form_post_with_its_token_goes_through(coordinator, liaison_a):
    client = _csrf_client(coordinator)
    page = client.get("/accounts/users/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    response = client.post(f"/accounts/users/{liaison_a.pk}/active/", {"active": "0",
                                                                       "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    liaison_a.refresh_from_db()
    assert not liaison_a.is_active
