"""The coordinator's workplace for circular letters in the admin."""

import pytest
from django.urls import reverse

from circulars.models import Circular
from circulars.services import answers as answer_services
from circulars.services import sending as sending_services
from ikone.outbox.models import OutboundEmail
from tests.circulars.factories import CircularFactory, QuestionCircularFactory
from tests.factories import (
    ContactFactory,
    CoordinatorFactory,
    MemberContactFactory,
    MunicipalityFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client):
    user = CoordinatorFactory()
    client.force_login(user)
    return user


def _url(name, circular):
    return reverse(f"admin:circulars_circular_{name}", args=[circular.pk])


def test_coordinator_writes_a_circular_in_the_admin(client, coordinator):
    response = client.post(
        reverse("admin:circulars_circular_add"),
        {
            "subject": "Workshop Ingelheim",
            "body": "Hallo",
            "audience": Circular.Audience.ALL,
            "question": "Kommen Sie?",
            "answer_choices": Circular.Choices.YES_NO_MAYBE,
            "allow_comment": "on",
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    circular = Circular.objects.get()
    assert circular.created_by == coordinator
    assert circular.status == Circular.Status.DRAFT


def test_audience_by_kind_needs_a_kind_and_the_form_keeps_the_input(client, coordinator):
    response = client.post(
        reverse("admin:circulars_circular_add"),
        {
            "subject": "Nur Städte",
            "body": "Text bleibt",
            "audience": Circular.Audience.KIND,
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Text bleibt" in response.content.decode()
    assert not Circular.objects.exists()


def test_preview_shows_the_rendered_mail(client, coordinator):
    ContactFactory.create_batch(2)
    circular = QuestionCircularFactory()
    response = client.get(_url("preview", circular))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Workshop</strong>" in page
    assert circular.question in page


def test_send_test_copy_from_the_admin(client, coordinator, mailoutbox):
    circular = CircularFactory()
    response = client.post(_url("test", circular))
    assert response.status_code == 302
    assert OutboundEmail.objects.get().to == coordinator.email


def test_double_click_on_send_sends_once_and_says_so(client, coordinator):
    ContactFactory.create_batch(3)
    circular = CircularFactory()
    first = client.post(_url("send", circular))
    second = client.post(_url("send", circular), follow=True)
    assert first.status_code == 302
    assert first["Location"] == _url("progress", circular)
    assert OutboundEmail.objects.filter(reference=circular.reference).count() == 3
    messages = [str(m) for m in second.context["messages"]]
    assert any("already" in m or "bereits" in m for m in messages)


def test_send_with_a_future_time_schedules(client, coordinator):
    from datetime import timedelta

    from django.utils import timezone

    ContactFactory()
    circular = CircularFactory(scheduled_at=timezone.now() + timedelta(days=1))
    client.post(_url("send", circular))
    circular.refresh_from_db()
    assert circular.status == Circular.Status.SCHEDULED
    client.post(_url("unschedule", circular))
    circular.refresh_from_db()
    assert circular.status == Circular.Status.DRAFT


def test_progress_page_and_json_show_counts_and_errors(
    client, coordinator, django_assert_max_num_queries
):
    ContactFactory.create_batch(3)
    circular = sending_services.send_circular(circular=CircularFactory(), by=coordinator)
    failed = OutboundEmail.objects.filter(reference=circular.reference).first()
    OutboundEmail.objects.filter(pk=failed.pk).update(
        status=OutboundEmail.Status.FAILED, last_error="550 no such user"
    )
    data = client.get(_url("progress_json", circular)).json()
    assert data["total"] == 3
    assert data["failed"] == 1
    with django_assert_max_num_queries(12):
        page = client.get(_url("progress", circular)).content.decode()
    assert "550 no such user" in page
    assert "circular_progress.js" in page


def test_retry_failed_recipients_from_the_admin(client, coordinator):
    ContactFactory.create_batch(2)
    circular = sending_services.send_circular(circular=CircularFactory(), by=coordinator)
    OutboundEmail.objects.filter(reference=circular.reference).update(
        status=OutboundEmail.Status.FAILED
    )
    client.post(_url("retry", circular))
    assert not OutboundEmail.objects.filter(status=OutboundEmail.Status.FAILED).exists()


def test_answers_table_counts_and_csv(client, coordinator):
    ContactFactory.create_batch(3)
    circular = sending_services.send_circular(circular=QuestionCircularFactory(), by=coordinator)
    first, second, _third = circular.recipients.all()
    answer_services.answer_circular(recipient=first, answer="yes", comment="=SUMME(A1)")
    answer_services.answer_circular(recipient=second, answer="yes")
    page = client.get(_url("answers", circular))
    counts = {row["value"]: row["count"] for row in page.context["counts"]}
    assert counts == {"yes": 2, "no": 0, "maybe": 0, "": 1}
    csv = client.get(_url("answers_csv", circular)).content.decode("utf-8-sig")
    assert len(csv.strip().splitlines()) == 4
    assert "'=SUMME(A1)" in csv


def test_answers_count_municipalities_and_show_conflicting_answers(client, coordinator):
    trier, mainz, worms = (MunicipalityFactory(name=n) for n in ("Trier", "Mainz", "Worms"))
    for municipality, n in ((trier, 2), (mainz, 3), (worms, 1)):
        ContactFactory.create_batch(n, municipality=municipality)
    circular = sending_services.send_circular(circular=QuestionCircularFactory(), by=coordinator)
    receipts = {}
    for receipt in circular.recipients.select_related("contact__municipality"):
        receipts.setdefault(receipt.contact.municipality.name, []).append(receipt)
    answer_services.answer_circular(recipient=receipts["Trier"][0], answer="maybe")
    answer_services.answer_circular(recipient=receipts["Trier"][1], answer="yes")
    answer_services.answer_circular(recipient=receipts["Mainz"][0], answer="yes")
    answer_services.answer_circular(recipient=receipts["Mainz"][1], answer="yes")

    page = client.get(_url("answers", circular), HTTP_ACCEPT_LANGUAGE="de")

    result = page.context["by_municipality"]
    assert {row["label"]: row["count"] for row in result.counts} == {
        "Ja": 2,
        "Nein": 0,
        "Vielleicht": 1,
        "noch keine Antwort": 1,
    }
    rows = {row.name: row for row in result.rows}
    assert rows["Trier"].is_conflicting and rows["Trier"].labels == ["Ja", "Vielleicht"]
    assert (rows["Mainz"].answered, rows["Mainz"].recipients) == (2, 3)
    assert not rows["Mainz"].is_conflicting
    assert result.conflicting == 1 and result.unanswered == 1
    html = page.content.decode()
    assert "3 Kommunen haben das Rundschreiben erhalten · 1 mit widersprüchlichen Antworten" in html
    assert "widersprüchlich:" in html
    # the per-person view stays beside it: people who have not answered yet
    assert {row["value"]: row["count"] for row in page.context["counts"]}[""] == 2


@pytest.mark.parametrize("name", ["preview", "progress", "progress_json", "answers"])
def test_members_and_visitors_cannot_open_the_circular_admin(client, name):
    circular = CircularFactory()
    anonymous = client.get(_url(name, circular))
    assert anonymous.status_code == 302
    client.force_login(MemberContactFactory().user)
    member = client.get(_url(name, circular))
    assert member.status_code == 302
    assert "/admin/login/" in member["Location"]


def test_change_page_of_a_draft_offers_preview_test_copy_and_send(client, coordinator):
    circular = CircularFactory()
    page = client.get(reverse("admin:circulars_circular_change", args=[circular.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert _url("preview", circular) in html
    assert f'action="{_url("send", circular)}"' in html
    assert f'action="{_url("test", circular)}"' in html
    assert 'form="circular-send"' in html


def test_sent_circular_is_read_only_and_cannot_be_deleted(client, coordinator):
    ContactFactory()
    circular = sending_services.send_circular(circular=CircularFactory(), by=coordinator)
    page = client.get(reverse("admin:circulars_circular_change", args=[circular.pk]))
    assert page.status_code == 200
    assert 'name="subject"' not in page.content.decode()
    delete = client.get(reverse("admin:circulars_circular_delete", args=[circular.pk]))
    assert delete.status_code == 403


def _delivered(coordinator):
    ContactFactory.create_batch(2)
    circular = sending_services.send_circular(circular=CircularFactory(), by=coordinator)
    OutboundEmail.objects.filter(reference=circular.reference).update(
        status=OutboundEmail.Status.SENT
    )
    return circular


def test_the_delivery_pages_show_the_stored_status_and_write_nothing(client, coordinator):
    circular = _delivered(coordinator)
    page = client.get(_url("progress", circular))
    data = client.get(_url("progress_json", circular)).json()
    assert page.status_code == 200
    assert (data["sent"], data["done"], data["status"]) == (2, True, "sending")
    assert Circular.objects.get(pk=circular.pk).status == Circular.Status.SENDING


def test_the_refresh_is_a_post_that_marks_the_circular_sent(client, coordinator):
    circular = _delivered(coordinator)
    assert client.get(_url("refresh", circular)).status_code == 405
    data = client.post(_url("refresh", circular), HTTP_ACCEPT="application/json").json()
    assert (data["status"], data["status_label"]) == ("sent", "gesendet")
    assert Circular.objects.get(pk=circular.pk).status == Circular.Status.SENT


def test_the_reload_button_posts_the_refresh_and_returns_to_the_page(client, coordinator):
    circular = _delivered(coordinator)
    page = client.get(_url("progress", circular)).content.decode()
    assert f'action="{_url("refresh", circular)}"' in page
    response = client.post(_url("refresh", circular))
    assert response["Location"] == _url("progress", circular)
    assert Circular.objects.get(pk=circular.pk).status == Circular.Status.SENT


def test_visitors_and_members_cannot_refresh(client, coordinator):
    circular = _delivered(coordinator)
    client.logout()
    assert client.post(_url("refresh", circular)).status_code == 302
    client.force_login(MemberContactFactory().user)
    assert client.post(_url("refresh", circular)).status_code == 302
    assert Circular.objects.get(pk=circular.pk).status == Circular.Status.SENDING


def test_old_admin_addresses_lead_to_the_circulars_admin(client, coordinator):
    circular = CircularFactory()
    response = client.get(f"/admin/members/circular/{circular.pk}/progress/?status=failed")
    assert response["Location"] == f"{_url('progress', circular)}?status=failed"
    assert client.get("/admin/members/circular/")["Location"] == reverse(
        "admin:circulars_circular_changelist"
    )
