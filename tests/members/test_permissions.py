"""Who may open which page of the member network: one table.

Roles: an anonymous visitor, a logged-in user who is no member (no contact record), a
member of municipality B, a member of municipality A and a coordinator.
"""

import pytest

from tests.factories import CoordinatorFactory, MemberContactFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "login"

PAGES = {
    "area": "/bereich/",
    "profile": "/bereich/profil/",
    "directory": "/bereich/kontakte/",
    "csv": "/bereich/kontakte/export.csv",
    "vcard": "/bereich/kontakte/export.vcf",
    "topics_a": "/mitglieder/stadt-a/themen/",
    "admin": "/admin/",
    "admin_contacts": "/admin/members/contact/",
}

TABLE = [
    # (role, page, expected)
    ("anonymous", "area", LOGIN),
    ("anonymous", "profile", LOGIN),
    ("anonymous", "directory", LOGIN),
    ("anonymous", "csv", LOGIN),
    ("anonymous", "vcard", LOGIN),
    ("anonymous", "topics_a", LOGIN),
    ("anonymous", "admin", LOGIN),
    ("no_member", "area", 403),
    ("no_member", "profile", 403),
    ("no_member", "directory", 403),
    ("no_member", "csv", 403),
    ("no_member", "vcard", 403),
    ("no_member", "topics_a", 403),
    ("no_member", "admin", LOGIN),
    ("member_b", "area", 200),
    ("member_b", "profile", 200),
    ("member_b", "directory", 200),
    ("member_b", "csv", 200),
    ("member_b", "vcard", 200),
    ("member_b", "topics_a", 403),
    ("member_b", "admin", LOGIN),
    ("member_b", "admin_contacts", LOGIN),
    ("member_a", "topics_a", 200),
    ("coordinator", "area", 200),
    ("coordinator", "profile", 403),  # coordinators edit contacts in the admin
    ("coordinator", "directory", 200),
    ("coordinator", "csv", 200),
    ("coordinator", "topics_a", 200),
    ("coordinator", "admin", 200),
    ("coordinator", "admin_contacts", 200),
]


@pytest.fixture
def login_as(client):
    member_a = MemberContactFactory(municipality__name="Stadt A", municipality__slug="stadt-a")
    member_b = MemberContactFactory(municipality__name="Stadt B", municipality__slug="stadt-b")
    users = {
        "anonymous": None,
        "no_member": UserFactory(),
        "member_a": member_a.user,
        "member_b": member_b.user,
        "coordinator": CoordinatorFactory(),
    }

    def login(role):
        if users[role] is not None:
            client.force_login(users[role])
        return client

    return login


@pytest.mark.parametrize(("role", "page", "expected"), TABLE)
def test_permission_table(login_as, role, page, expected):
    response = login_as(role).get(PAGES[page])
    if expected == LOGIN:
        assert response.status_code == 302
        assert "login" in response["Location"]
    else:
        assert response.status_code == expected


def test_topics_editor_of_unknown_municipality_is_404(login_as):
    assert login_as("coordinator").get("/mitglieder/gibt-es-nicht/themen/").status_code == 404


def test_member_b_cannot_post_topics_for_a(login_as):
    from members.models import Municipality

    client = login_as("member_b")
    response = client.post("/mitglieder/stadt-a/themen/", {"topics": []})
    assert response.status_code == 403
    assert Municipality.objects.get(slug="stadt-a").pk


def test_permission_functions():
    from members import permissions

    member = MemberContactFactory()
    other = MemberContactFactory()
    coordinator = CoordinatorFactory()
    assert permissions.is_member(member.user) and not permissions.is_coordinator(member.user)
    assert permissions.is_coordinator(coordinator) and not permissions.is_member(coordinator)
    assert permissions.can_edit_municipality(member.user, member.municipality)
    assert not permissions.can_edit_municipality(member.user, other.municipality)
    assert permissions.can_edit_contact(member.user, member)
    assert not permissions.can_edit_contact(member.user, other)


def test_member_of_a_municipality_that_left_loses_access(client):
    from members.models import Municipality

    member = MemberContactFactory(municipality__status=Municipality.Status.LEFT)
    client.force_login(member.user)
    assert client.get("/bereich/kontakte/").status_code == 403


def test_forbidden_page_is_friendly_and_translated(login_as):
    response = login_as("member_b").get(PAGES["topics_a"], HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 403
    assert "Zugriff verweigert" in response.content.decode()
