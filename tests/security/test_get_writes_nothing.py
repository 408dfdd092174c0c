"""GET never writes: every page of the access matrix, and every admin page, as each role.

A GET may be repeated by a browser, a prefetcher or a link checker; what changes data is a
POST (DESIGN.md). The session (login bookkeeping, flash messages) is not data of the portal.
The circulars' one-click reply link (``?antwort=``) records an answer on GET by design of
the mail; the access matrix opens it without an answer.
"""

import re

from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from tests.security.access import ROLES
from tests.security.test_access_matrix import EXPECTATIONS, client_for, world  # noqa: F401

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
# allauth's reset-key check creates the missing EmailAddress row of the user it names
# (sync_user_email_addresses): third-party bookkeeping, no change a person made.
THIRD_PARTY = {"account_reset_password_from_key": "account_emailaddress"}


def _writes(client, url, *, allowed_table=None) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return [
        query["sql"][:200]
        for query in queries.captured_queries
        if WRITE.match(query["sql"])
        and "django_session" not in query["sql"]
        and not (allowed_table and allowed_table in query["sql"])
    ]


def test_no_page_writes_on_get(world):  # noqa: F811
    clients = {role: client_for(world, role) for role in ROLES}
    found = []
    for key, expect in sorted(EXPECTATIONS.items()):
        if expect.method != "GET":
            continue
        kwargs = expect.kwargs(world) if expect.kwargs else None
        url = reverse(key, kwargs=kwargs) + (f"?{expect.query}" if expect.query else "")
        for role, client in clients.items():
            found += [
                f"{url} as {role}: {sql}"
                for sql in _writes(client, url, allowed_table=THIRD_PARTY.get(key))
            ]

    assert not found, "\n".join(found)


def test_no_admin_page_writes_on_get(world):  # noqa: F811
    """Each admin URL of each model, for its newest object where the URL takes one."""
    client = client_for(world, "coordinator")
    found = []
    for model, model_admin in admin.site._registry.items():
        obj = model._default_manager.order_by("-pk").first()
        for pattern in model_admin.get_urls():
            params = list(pattern.pattern.converters)
            if not pattern.name or (params and obj is None):
                continue
            kwargs = dict.fromkeys(params, obj.pk) if params else {}
            try:
                url = reverse(f"admin:{pattern.name}", kwargs=kwargs)
            except NoReverseMatch:
                continue
            found += [f"{url}: {sql}" for sql in _writes(client, url)]

    assert not found, "\n".join(found)
