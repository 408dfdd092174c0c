"""The participant's page: rank the workshops, then see what they got and why."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import allocation_services as flow
from meetings.models import WorkshopAllocation, WorkshopWish
from meetings.services import registration as registration_services
from tests.factories import CoordinatorFactory, MemberContactFactory

from .factories import MeetingFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def congress():
    meeting = MeetingFactory(title="Kommunalkongress", slug="kommunalkongress")
    workshops = [
        WorkshopFactory(meeting=meeting, title="Digitale Stadt", round=1, capacity=1),
        WorkshopFactory(meeting=meeting, title="Homeoffice", round=1, capacity=5),
        WorkshopFactory(meeting=meeting, title="Digitale Dörfer", round=2, capacity=5),
    ]
    setting = WorkshopAllocation.objects.create(
        meeting=meeting, preference_deadline=timezone.now() + timedelta(days=2)
    )
    return meeting, workshops, setting


@pytest.fixture
def member(client, congress):
    meeting, _workshops, _setting = congress
    contact = MemberContactFactory(first_name="Lena")
    registration = registration_services.register(contact=contact, meeting=meeting)
    client.force_login(contact.user)
    return client, registration


def url(meeting):
    return reverse("meetings:preferences", args=[meeting.slug])


def test_the_meeting_page_links_to_the_ranking(member, congress):
    client, _registration = member
    meeting, _w, _s = congress
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert url(meeting) in page
    assert "Workshops ändern" not in page  # no first-come choice before the allocation


def test_a_member_ranks_the_workshops(member, congress):
    client, registration = member
    meeting, (stadt, homeoffice, doerfer), _s = congress
    response = client.get(url(meeting))
    assert response.status_code == 200
    response = client.post(
        url(meeting),
        {
            f"rank_{stadt.pk}": "1",
            f"rank_{doerfer.pk}": "2",
            f"rank_{homeoffice.pk}": "",
            "wanted": "2",
        },
    )
    assert response.status_code == 302
    wish = WorkshopWish.objects.get(registration=registration)
    assert [p.workshop for p in wish.ranking.all()] == [stadt, doerfer]
    assert wish.wanted == 2
    # the page shows the saved ranking again
    page = client.get(url(meeting)).content.decode()
    assert f'name="rank_{stadt.pk}"' in page
    assert '<option value="1" selected>' in page


def test_a_rank_given_twice_is_refused_and_the_input_kept(member, congress):
    client, registration = member
    meeting, (stadt, homeoffice, doerfer), _s = congress
    response = client.post(
        url(meeting), {f"rank_{stadt.pk}": "1", f"rank_{doerfer.pk}": "1", "wanted": "1"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "jeden Rang nur einmal" in page
    assert page.count('<option value="1" selected>') == 3  # two ranks and "how many"
    assert not WorkshopWish.objects.filter(registration=registration).exists()


def test_two_workshops_at_the_same_time_cannot_be_wanted_together(member, congress):
    client, registration = member
    meeting, (stadt, homeoffice, _doerfer), _s = congress
    response = client.post(
        url(meeting), {f"rank_{stadt.pk}": "1", f"rank_{homeoffice.pk}": "2", "wanted": "2"}
    )
    assert response.status_code == 400
    assert "gleichzeitig" in response.content.decode()


def test_garbage_input_is_an_error_not_a_crash(member, congress):
    client, _registration = member
    meeting, (stadt, _h, _d), _s = congress
    response = client.post(url(meeting), {f"rank_{stadt.pk}": "eins", "wanted": "99"})
    assert response.status_code == 400


def test_after_the_deadline_the_ranking_is_shown_not_editable(member, congress):
    client, registration = member
    meeting, (stadt, _h, doerfer), setting = congress
    flow.save_wish(registration=registration, ranking=[stadt, doerfer], wanted=2)
    setting.preference_deadline = timezone.now() - timedelta(minutes=1)
    setting.save()
    response = client.get(url(meeting))
    page = response.content.decode()
    assert '<form method="post"' not in page
    assert "Digitale Stadt" in page
    response = client.post(url(meeting), {f"rank_{stadt.pk}": "1", "wanted": "1"})
    assert response.status_code == 400
    assert WorkshopWish.objects.get(registration=registration).wanted == 2


def test_after_the_allocation_the_member_sees_why(member, congress):
    client, registration = member
    meeting, (stadt, homeoffice, doerfer), setting = congress
    rival = registration_services.register(contact=MemberContactFactory(), meeting=meeting)
    flow.save_wish(registration=rival, ranking=[stadt], wanted=1)
    flow.save_wish(registration=registration, ranking=[stadt, doerfer, homeoffice], wanted=2)
    setting.preference_deadline = timezone.now() - timedelta(minutes=1)
    setting.save()
    flow.confirm_allocation(meeting=meeting, seed=1, by=CoordinatorFactory())
    page = client.get(url(meeting)).content.decode()
    # the rival only ranked Digitale Stadt: it is theirs, so that everybody has a seat
    assert "Runde 1: Homeoffice" in page
    assert "Runde 2: Digitale Dörfer" in page
    assert "Ihr Wunsch Nr. 1, „Digitale Stadt“, war voll" in page


def test_a_member_not_registered_is_sent_to_the_meeting(client, congress):
    meeting, _w, _s = congress
    client.force_login(MemberContactFactory().user)
    response = client.get(url(meeting))
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()


def test_an_event_without_preference_mode_has_no_such_page(member, congress):
    client, _registration = member
    meeting, _w, setting = congress
    setting.mode = WorkshopAllocation.Mode.FIRST_COME
    setting.save()
    assert client.get(url(meeting)).status_code == 404
    other = MeetingFactory()
    assert client.get(url(other)).status_code == 404


def test_no_first_come_workshop_choice_before_the_allocation(client, congress):
    meeting, (stadt, _h, _d), setting = congress
    contact = MemberContactFactory()
    client.force_login(contact.user)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert 'name="workshops"' not in page
    # a forged choice is ignored: the registration holds no seat
    client.post(reverse("meetings:register", args=[meeting.slug]), {"workshops": [stadt.pk]})
    registration = meeting.registrations.get(contact=contact)
    assert not registration.seats.exists()
    # after the confirmation the seats left over are taken first come, first served
    setting.confirmed_at = timezone.now()
    setting.save()
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert 'name="workshops"' in page


def test_the_ranking_page_and_the_coordinators_preview_are_valid_html(member, congress, tmp_path):
    import shutil

    from tests.ikone.test_html_valid import _validate
    from tests.services import require

    require("Java", shutil.which("java") is not None, "install default-jre-headless")
    client, registration = member
    meeting, (stadt, _h, doerfer), setting = congress
    pages = {url(meeting): client.get(url(meeting)).content.decode()}
    flow.save_wish(registration=registration, ranking=[stadt, doerfer], wanted=2)
    client.force_login(CoordinatorFactory())
    run = reverse("admin:meetings_workshopallocation_run", args=[setting.pk])
    pages[run] = client.get(run, {"seed": 3}).content.decode()
    assert "Startwert 3" in pages[run]
    assert _validate(pages, tmp_path) == []
