"""The coordinator's admin carries the portal's look: its mark, typeface and palette."""

import pytest

from tests.factories import CoordinatorFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/admin/", "/admin/news/post/", "/admin/members/contact/"])
def test_admin_pages_carry_the_networks_mark_typeface_and_colours(client, path):
    client.force_login(CoordinatorFactory())

    html = client.get(path).content.decode()

    assert 'class="brand-mark"' in html
    assert "/static/css/fonts.css" in html
    assert "/static/css/admin.css" in html
    assert "Koordination des Netzwerks" in html


def test_the_admin_login_page_carries_the_mark_too(client):
    html = client.get("/admin/login/", follow=True).content.decode()

    assert 'class="brand-mark"' in html
