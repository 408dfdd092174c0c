"""Every URL of the project, as anonymous visitor, member of A, member of B and coordinator.

Expectations come from ``tests/<app>/access.py`` (see ``tests/security/access.py``); a URL
without an entry fails ``test_every_url_has_an_expectation``, so no new page escapes.
"""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tests.html_checks import id_problems
from tests.security.access import (
    GENERIC_PREFIXES,
    LOGIN,
    ROLES,
    answer,
    build_world,
    expectations,
    url_keys,
)

EXPECTATIONS = expectations()


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world(settings.MEDIA_ROOT)


def client_for(world, role):
    client = Client()
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    return client


def test_every_url_has_an_expectation():
    keys = {key for key, route in url_keys().items() if not route.startswith(GENERIC_PREFIXES)}
    missing = sorted(keys - EXPECTATIONS.keys())
    stale = sorted(EXPECTATIONS.keys() - keys)

    assert not missing, f"add access expectations (tests/<app>/access.py) for: {missing}"
    assert not stale, f"expectations for URLs that no longer exist: {stale}"


@pytest.mark.parametrize("key", sorted(EXPECTATIONS))
def test_url_answers_each_role_as_expected(world, key):
    expect = EXPECTATIONS[key]
    kwargs = expect.kwargs(world) if expect.kwargs else None
    url = reverse(key, kwargs=kwargs) + (f"?{expect.query}" if expect.query else "")
    wrong, leaks, invalid = [], [], []
    for role in ROLES:
        client = client_for(world, role)
        response = client.generic(expect.method, url)
        got = answer(response)
        if got != expect.for_role(role):
            wrong.append(f"{role}: expected {expect.for_role(role)!r}, got {got!r}")
        if response.status_code == 200 and not getattr(response, "streaming", False):
            body = response.content.decode(errors="replace")
            # the search marks the words it found inside the secret texts
            unmarked = body.replace("<mark>", "").replace("</mark>", "")
            for text, allowed in world.secrets.items():
                if text and role not in allowed and (text in body or text in unmarked):
                    leaks.append(f"{role} sees {text!r}")
            if response.get("Content-Type", "").startswith("text/html"):
                invalid += [f"{role}: {problem}" for problem in id_problems(body)]

    assert not wrong, f"{url}: " + "; ".join(wrong)
    assert not leaks, f"{url}: " + "; ".join(leaks)
    assert not invalid, f"{url}: " + "; ".join(invalid)


def admin_urls():
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        yield f"admin:{info[0]}_{info[1]}_changelist"
        yield f"admin:{info[0]}_{info[1]}_add"


def test_admin_is_for_coordinators_only(world):
    clients = {role: client_for(world, role) for role in ROLES}
    wrong = []
    for name in ["admin:index", *admin_urls()]:
        url = reverse(name)
        for role, client in clients.items():
            response = client.get(url)
            got = answer(response)
            expected = 200 if role == "coordinator" else LOGIN
            if got == 200:
                body = response.content.decode()
                wrong += [f"{url}: {problem}" for problem in id_problems(body)]
            if name.endswith("_add") and role == "coordinator" and got == 403:
                continue  # admins without an add form (e.g. outgoing mail)
            if got != expected:
                wrong.append(f"{url} as {role}: expected {expected!r}, got {got!r}")

    assert not wrong, "\n".join(wrong)
