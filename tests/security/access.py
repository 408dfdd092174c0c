"""The access-control matrix: expected answers per URL and role, collected from every app.

Each app adds ``tests/<app>/access.py`` with

    from tests.security.access import Expect, LOGIN, public, members_only

    def setup(world):                       # optional: create the app's objects of A
        post = PostFactory(municipality=world.municipality_a, status="draft")
        world.objects["news.draft_a"] = post
        world.secrets[post.title] = {"member_a", "coordinator"}   # who may see this text

    def draft_a(world):
        return {"pk": world.objects["news.draft_a"].pk}

    EXPECTATIONS = {
        "news:list": public(),
        "news:edit": Expect(LOGIN, 200, 404, 200, kwargs=draft_a),  # anon, A, B, coordinator
    }

Keys are URL names with namespace (``"news:edit"``), or the route for unnamed patterns.
Objects always belong to municipality A, so member B's column is the "other municipality"
case. Answers: an HTTP status, ``LOGIN`` (redirect to the login page) or ``REDIRECT`` (any
other redirect). Every page answered with 200 is also searched for ``world.secrets`` the
role may not see.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

ROLES = ("anonymous", "member_a", "member_b", "coordinator")
LOGIN = "login"
REDIRECT = "redirect"
LOGIN_PATHS = ("/konto/login/", "/admin/login/")
# Admin URLs are checked model by model in test_access_matrix.py (every registered admin).
GENERIC_PREFIXES = ("admin/",)


@dataclass
class World:
    municipality_a: Any
    municipality_b: Any
    contact_a: Any
    contact_b: Any
    coordinator: Any
    objects: dict[str, Any] = field(default_factory=dict)
    # text -> roles that may see it on any page
    secrets: dict[str, set[str]] = field(default_factory=dict)

    def user(self, role: str):
        return {
            "anonymous": None,
            "member_a": self.contact_a.user,
            "member_b": self.contact_b.user,
            "coordinator": self.coordinator,
        }[role]


@dataclass(frozen=True)
class Expect:
    anonymous: int | str
    member_a: int | str
    member_b: int | str
    coordinator: int | str
    kwargs: Callable[[World], dict] | None = None
    query: str = ""
    method: str = "GET"

    def for_role(self, role: str) -> int | str:
        return getattr(self, role)


def public(**options) -> Expect:
    return Expect(200, 200, 200, 200, **options)


def members_only(**options) -> Expect:
    """Members of any municipality and coordinators; anonymous visitors must log in."""
    return Expect(LOGIN, 200, 200, 200, **options)


def answer(response) -> int | str:
    if response.status_code in (301, 302, 303, 307, 308):
        location = response["Location"]
        return LOGIN if location.split("?")[0].endswith(LOGIN_PATHS) else REDIRECT
    return response.status_code


def url_keys() -> dict[str, str]:
    """Every URL pattern of the project: key -> route."""
    keys: dict[str, str] = {}

    def walk(patterns, prefix="", namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = namespace
                if pattern.namespace:
                    ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                name = pattern.name and (
                    f"{namespace}:{pattern.name}" if namespace else pattern.name
                )
                keys[name or route] = route

    walk(get_resolver().url_patterns)
    return keys


def app_modules() -> list:
    """``tests/<app>/access.py`` of every local app that has one, plus the core entries."""
    modules = [importlib.import_module("tests.security.access_core")]
    for app in settings.INSTALLED_APPS:
        label = app.rsplit(".", 1)[-1]
        name = f"tests.{label}.access"
        if importlib.util.find_spec(f"tests.{label}") and importlib.util.find_spec(name):
            modules.append(importlib.import_module(name))
    return modules


def expectations() -> dict[str, Expect]:
    collected: dict[str, Expect] = {}
    for module in app_modules():
        for key, expect in module.EXPECTATIONS.items():
            assert key not in collected, f"{key} has two expectation entries"
            collected[key] = expect
    return collected


def setups() -> list[Callable[[World], None]]:
    return [module.setup for module in app_modules() if hasattr(module, "setup")]


def build_world(media_root) -> World:
    """Municipalities A and B with a member each, a coordinator, and every app's objects."""
    from tests.factories import CoordinatorFactory, MemberContactFactory, MunicipalityFactory

    settings.MEDIA_ROOT = media_root
    media_root.mkdir(parents=True, exist_ok=True)
    a = MunicipalityFactory(name="Kaiserslautern", slug="kaiserslautern")
    b = MunicipalityFactory(name="Trier", slug="trier")
    world = World(
        municipality_a=a,
        municipality_b=b,
        contact_a=MemberContactFactory(
            municipality=a, email="lena.a@kaiserslautern.example", phone="+49 631 365-4711"
        ),
        contact_b=MemberContactFactory(municipality=b, email="tom.b@trier.example"),
        coordinator=CoordinatorFactory(),
    )
    for setup in setups():
        setup(world)
    return world
