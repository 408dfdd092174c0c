"""Circular letters: audience, sending, scheduling, answers through the signed link."""

from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from circulars import selectors
from circulars.forms import CircularAttachmentForm
from circulars.models import Circular, CircularAttachment
from circulars.services import answers as answer_services
from circulars.services import errors as circular_errors
from circulars.services import links as link_services
from circulars.services import sending as sending_services
from ikone.markup import render_markdown
from ikone.outbox import mime
from ikone.outbox.models import OutboundEmail
from members.models import Municipality
from tests.circulars.factories import CircularFactory, QuestionCircularFactory
from tests.factories import (
    ContactFactory,
    CoordinatorFactory,
    MemberContactFactory,
    MunicipalityFactory,
    TopicFactory,
)
from tests.pdfs import tiny_pdf

pytestmark = pytest.mark.django_db


def _send(circular, **kwargs):
    return sending_services.send_circular(circular=circular, by=CoordinatorFactory(), **kwargs)


def test_circular_goes_to_all_active_contacts_of_member_municipalities():
    ContactFactory.create_batch(3)
    ContactFactory(is_active=False)
    ContactFactory(municipality=MunicipalityFactory(status=Municipality.Status.LEFT))
    circular = _send(CircularFactory())
    assert circular.status == Circular.Status.SENDING
    assert circular.recipients.count() == 3
    assert OutboundEmail.objects.filter(reference=circular.reference).count() == 3


@pytest.mark.parametrize(
    ("audience", "setup"),
    [
        (Circular.Audience.PRIMARY, lambda c, hit: {"is_primary": hit}),
        (Circular.Audience.KIND, lambda c, hit: {}),
        (Circular.Audience.DISTRICT, lambda c, hit: {}),
    ],
)
def test_audience_selects_only_matching_contacts(audience, setup):
    city = MunicipalityFactory(kind=Municipality.Kind.INDEPENDENT_CITY, district="")
    town = MunicipalityFactory(kind=Municipality.Kind.TOWN, district="Mainz-Bingen")
    hit = ContactFactory(municipality=town, is_primary=True)
    ContactFactory(municipality=city, is_primary=False)
    circular = CircularFactory(
        audience=audience, kinds=[Municipality.Kind.TOWN], districts=["Mainz-Bingen"]
    )
    assert list(selectors.circular_audience(circular)) == [hit]


def test_topic_audience_takes_contacts_and_municipalities_interested_in_the_topic():
    topic = TopicFactory()
    by_contact = ContactFactory()
    by_contact.topics.add(topic)
    town = MunicipalityFactory()
    town.topics.add(topic)
    by_town = ContactFactory(municipality=town)
    ContactFactory()
    circular = CircularFactory(audience=Circular.Audience.TOPIC)
    circular.topics.add(topic)
    assert set(selectors.circular_audience(circular)) == {by_contact, by_town}


def test_handpicked_audience():
    picked, _other = ContactFactory(), ContactFactory()
    circular = CircularFactory(audience=Circular.Audience.HANDPICKED)
    circular.contacts.add(picked)
    assert list(selectors.circular_audience(circular)) == [picked]


def test_circular_without_recipients_is_refused_and_stays_a_draft():
    circular = CircularFactory(audience=Circular.Audience.HANDPICKED)
    with pytest.raises(circular_errors.CircularError, match="keine Empfänger|no recipients"):
        _send(circular)
    circular.refresh_from_db()
    assert circular.status == Circular.Status.DRAFT
    assert not OutboundEmail.objects.exists()


def test_sending_twice_is_refused_and_sends_no_second_round():
    ContactFactory.create_batch(2)
    circular = CircularFactory()
    _send(circular)
    with pytest.raises(circular_errors.CircularError, match="bereits|already"):
        _send(circular)
    assert OutboundEmail.objects.filter(reference=circular.reference).count() == 2


def test_mail_has_personal_answer_links_body_and_is_essential():
    contact = ContactFactory(only_essential_mail=True)
    circular = _send(QuestionCircularFactory())
    email = OutboundEmail.objects.get(reference=circular.reference)
    recipient = circular.recipients.get()
    assert email.to == contact.email
    assert email.category == OutboundEmail.Category.ESSENTIAL
    assert "<strong>Workshop</strong>" in email.body_html
    assert "?antwort=yes" in email.body_text
    assert link_services.reply_token(recipient) in email.body_html
    assert recipient.email == email


def test_markdown_is_sanitised():
    html = render_markdown("Hallo <script>alert(1)</script> [x](javascript:alert(1))")
    assert "<script>" not in html
    assert "javascript:" not in html


def test_attachments_travel_as_pdf_files():
    ContactFactory()
    circular = CircularFactory()
    pdf = tiny_pdf()
    attachment = CircularAttachment.objects.create(
        circular=circular, file=SimpleUploadedFile("Einladung Straßenfest.pdf", pdf)
    )
    _send(circular)
    email = OutboundEmail.objects.get(reference=circular.reference)
    assert email.attachments[0]["filename"] == "Einladung Straßenfest.pdf"
    assert email.attachments[0]["mimetype"] == "application/pdf"
    # stored privately under a random name; the mail carries the uploaded name and the bytes
    assert email.attachments[0]["storage"] == "private"
    assert email.attachments[0]["storage_path"] == attachment.file.name
    assert "Einladung" not in attachment.file.name
    mime._stored_file.cache_clear()
    message = message_from_bytes(mime.message_bytes(email), policy=policy.default)
    (part,) = [p for p in message.walk() if p.get_content_type() == "application/pdf"]
    assert part.get_content() == pdf
    assert part.get_filename() == "Einladung Straßenfest.pdf"


def test_attachment_that_is_not_a_pdf_is_refused():
    form = CircularAttachmentForm(
        data={"title": "x"},
        files={"file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf")},
    )
    assert not form.is_valid()
    assert "PDF" in str(form.errors["file"])


def test_attachment_over_the_size_limit_is_refused(settings):
    settings.IKONE_MAX_UPLOAD_BYTES = 100
    form = CircularAttachmentForm(
        data={}, files={"file": SimpleUploadedFile("x.pdf", b"%PDF-1.4" + b"0" * 200)}
    )
    assert not form.is_valid()
    assert "too large" in str(form.errors["file"]) or "zu groß" in str(form.errors["file"])


def test_scheduled_circular_waits_for_its_time_then_the_beat_sends_it():
    ContactFactory()
    later = timezone.now() + timedelta(hours=2)
    circular = _send(CircularFactory(scheduled_at=later))
    assert circular.status == Circular.Status.SCHEDULED
    assert not OutboundEmail.objects.exists()
    assert sending_services.send_due_circulars(now=timezone.now()) == 0
    assert sending_services.send_due_circulars(now=later + timedelta(minutes=1)) == 1
    circular.refresh_from_db()
    assert circular.status in (Circular.Status.SENDING, Circular.Status.SENT)
    assert OutboundEmail.objects.filter(reference=circular.reference).count() == 1


def test_circular_counts_as_sent_when_all_mail_is_delivered():
    ContactFactory()
    circular = _send(CircularFactory())
    # Eager Celery in tests: the mail is delivered to locmem on commit.
    OutboundEmail.objects.filter(reference=circular.reference).update(
        status=OutboundEmail.Status.SENT
    )
    sending_services.refresh_circular_status(circular=circular)
    assert Circular.objects.get(pk=circular.pk).status == Circular.Status.SENT


def test_test_copy_goes_only_to_the_coordinator():
    ContactFactory()
    coordinator = CoordinatorFactory()
    circular = QuestionCircularFactory()
    email = sending_services.send_test_copy(circular=circular, by=coordinator)
    assert email.to == coordinator.email
    assert email.subject.endswith(f"[Test] {circular.subject}")
    circular.refresh_from_db()
    assert circular.status == Circular.Status.DRAFT
    assert not circular.recipients.exists()


# --- Answers --------------------------------------------------------------------------------


@pytest.fixture
def recipient():
    ContactFactory()
    circular = _send(QuestionCircularFactory(closes_at=timezone.now() + timedelta(days=3)))
    return circular.recipients.get()


def test_answer_can_be_changed_until_the_closing_date(recipient):
    answer_services.answer_circular(recipient=recipient, answer="yes")
    answer_services.answer_circular(recipient=recipient, answer="no", comment="Leider krank")
    recipient.refresh_from_db()
    assert (recipient.answer, recipient.comment) == ("no", "Leider krank")
    later = recipient.circular.closes_at + timedelta(minutes=1)
    with pytest.raises(circular_errors.CircularError, match="möglich|closed"):
        answer_services.answer_circular(recipient=recipient, answer="yes", now=later)


def test_answer_outside_the_fixed_choices_is_refused(recipient):
    with pytest.raises(circular_errors.CircularError, match="vorgegebenen|given answers"):
        answer_services.answer_circular(recipient=recipient, answer="vielleicht-doch")


def test_custom_answers():
    ContactFactory()
    circular = _send(
        CircularFactory(
            question="Welcher Termin?",
            answer_choices=Circular.Choices.CUSTOM,
            custom_answers="Montag\n\nDienstag\n",
        )
    )
    recipient = circular.recipients.get()
    answer_services.answer_circular(recipient=recipient, answer="a2")
    assert circular.answer_label("a2") == "Dienstag"
    counts = {row["label"]: row["count"] for row in selectors.answer_counts(circular=circular)}
    assert counts["Dienstag"] == 1
    assert counts["Montag"] == 0


def _reply_url(recipient, token=None, answer=""):
    url = reverse(
        "circulars:reply",
        kwargs={
            "pk": recipient.circular_id,
            "token": token or link_services.reply_token(recipient),
        },
    )
    return url + (f"?antwort={answer}" if answer else "")


def test_one_click_from_the_mail_records_the_answer_and_confirms(client, recipient):
    response = client.get(_reply_url(recipient, answer="maybe"))
    assert response.status_code == 200
    assert "Vielen Dank" in response.content.decode() or "Thank you" in response.content.decode()
    recipient.refresh_from_db()
    assert recipient.answer == "maybe"


def test_confirmation_after_one_click_keeps_the_given_answer_selected(client, recipient):
    response = client.get(_reply_url(recipient, answer="maybe"))

    assert 'value="maybe" required checked' in response.content.decode()


def test_reply_page_shows_the_stored_answer_and_comment_again(client, recipient):
    answer_services.answer_circular(recipient=recipient, answer="no", comment="Leider verhindert")

    content = client.get(_reply_url(recipient)).content.decode()

    assert 'value="no" required checked' in content
    assert "Leider verhindert" in content


def test_reply_form_saves_answer_with_comment(client, recipient):
    response = client.post(_reply_url(recipient), {"answer": "yes", "comment": "Gern!"})
    assert response.status_code == 302
    recipient.refresh_from_db()
    assert (recipient.answer, recipient.comment) == ("yes", "Gern!")


def test_reply_with_unknown_answer_shows_a_message_and_records_nothing(client, recipient):
    response = client.post(_reply_url(recipient), {"answer": "<b>x</b>"})
    assert response.status_code == 400
    recipient.refresh_from_db()
    assert recipient.answer == ""


def test_tampered_reply_link_shows_a_clear_page(client, recipient):
    token = link_services.reply_token(recipient)
    response = client.get(_reply_url(recipient, token=token[:-3] + "abc", answer="yes"))
    assert response.status_code == 400
    assert "circulars/link_invalid.html" in [t.name for t in response.templates]
    recipient.refresh_from_db()
    assert recipient.answer == ""


def test_reply_link_of_another_circular_is_refused(client, recipient):
    other = QuestionCircularFactory()
    url = reverse(
        "circulars:reply",
        kwargs={"pk": other.pk, "token": link_services.reply_token(recipient)},
    )
    response = client.get(url + "?antwort=yes")
    assert response.status_code == 400
    recipient.refresh_from_db()
    assert recipient.answer == ""


def test_forged_token_for_another_recipient_is_refused(client, recipient):
    forged = signing.dumps({"c": recipient.circular_id, "r": recipient.pk}, salt="other")
    response = client.get(_reply_url(recipient, token=forged, answer="yes"))
    assert response.status_code == 400


def test_expired_reply_link_is_refused(client, recipient, settings):
    settings.IKONE_CIRCULAR_LINK_DAYS = -1
    response = client.get(_reply_url(recipient, answer="yes"))
    assert response.status_code == 400
    assert "expired" in response.content.decode() or "abgelaufen" in response.content.decode()


def test_reply_after_closing_date_shows_that_answers_are_closed(client, recipient):
    circular = recipient.circular
    circular.closes_at = timezone.now() - timedelta(minutes=1)
    circular.save(update_fields=["closes_at"])
    response = client.get(_reply_url(recipient, answer="yes"))
    assert response.status_code == 400
    recipient.refresh_from_db()
    assert recipient.answer == ""


# --- Archive in the member area -------------------------------------------------------------


def test_member_sees_circulars_sent_to_them_only(client):
    member = MemberContactFactory()
    mine = _send(CircularFactory(subject="Für alle"))
    other = CircularFactory(subject="Nur Kaiserslautern", audience=Circular.Audience.HANDPICKED)
    other.contacts.add(ContactFactory())
    _send(other)
    client.force_login(member.user)
    page = client.get(reverse("circulars:archive")).content.decode()
    assert "Für alle" in page
    assert "Nur Kaiserslautern" not in page
    assert client.get(reverse("circulars:detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("circulars:detail", args=[other.pk])).status_code == 404


def test_archive_needs_a_login(client):
    response = client.get(reverse("circulars:archive"))
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]


def test_archive_query_count_does_not_grow(client, django_assert_max_num_queries):
    member = MemberContactFactory()
    for _index in range(5):
        _send(CircularFactory())
    client.force_login(member.user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("circulars:archive"))
    assert response.status_code == 200


def test_area_links_to_the_archive(client):
    member = MemberContactFactory()
    client.force_login(member.user)
    page = client.get(reverse("members:area")).content.decode()
    assert reverse("circulars:archive") in page
