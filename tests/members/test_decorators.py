"""One way to keep a view for members: anonymous → login page, others → 403."""

import inspect

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from members.decorators import contact_required, member_required
from tests.factories import CoordinatorFactory, MemberContactFactory, UserFactory

pytestmark = pytest.mark.django_db


def _view(request):
    """The member's page."""
    return HttpResponse("ok")


def _get(user):
    request = RequestFactory().get("/bereich/")
    request.user = user
    return request


@pytest.mark.parametrize("decorator", [member_required, contact_required])
def test_the_wrapped_view_keeps_its_name_and_docstring(decorator):
    wrapped = decorator(_view)

    assert wrapped.__name__ == "_view"
    assert wrapped.__doc__ == "The member's page."
    assert inspect.unwrap(wrapped) is _view


@pytest.mark.parametrize("decorator", [member_required, contact_required])
def test_anonymous_visitors_go_to_the_login_page(decorator):
    response = decorator(_view)(_get(AnonymousUser()))

    assert response.status_code == 302
    assert "/bereich/" in response["Location"]


@pytest.mark.parametrize("decorator", [member_required, contact_required])
def test_a_login_without_a_contact_record_is_refused(decorator):
    with pytest.raises(PermissionDenied):
        decorator(_view)(_get(UserFactory()))


def test_coordinators_pass_the_member_door_but_not_the_contact_door():
    coordinator = CoordinatorFactory()

    assert member_required(_view)(_get(coordinator)).status_code == 200
    with pytest.raises(PermissionDenied):
        contact_required(_view)(_get(coordinator))


@pytest.mark.parametrize("decorator", [member_required, contact_required])
def test_members_pass(decorator):
    assert decorator(_view)(_get(MemberContactFactory().user)).status_code == 200
