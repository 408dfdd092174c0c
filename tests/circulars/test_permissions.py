"""Who may read which circular letters: one table of the plain permission functions."""

import pytest
from django.contrib.auth.models import AnonymousUser

from circulars import permissions
from members.models import Municipality
from tests.factories import CoordinatorFactory, MemberContactFactory, UserFactory

pytestmark = pytest.mark.django_db


def _left_member():
    contact = MemberContactFactory()
    Municipality.objects.filter(pk=contact.municipality_id).update(status=Municipality.Status.LEFT)
    return contact.user


ROLES = {
    "anonymous": AnonymousUser,
    "no_member": UserFactory,
    "left_member": _left_member,
    "member": lambda: MemberContactFactory().user,
    "coordinator": CoordinatorFactory,
}

TABLE = [
    # role, reads the archive, sees every circular
    ("anonymous", False, False),
    ("no_member", False, False),
    ("left_member", False, False),
    ("member", True, False),
    ("coordinator", True, True),
]


@pytest.mark.parametrize(("role", "archive", "everything"), TABLE)
def test_who_reads_which_circulars(role, archive, everything):
    user = ROLES[role]()
    assert permissions.can_read_archive(user) is archive
    assert permissions.sees_every_circular(user) is everything
