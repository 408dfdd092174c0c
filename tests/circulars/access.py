"""Access expectations of the circular letters' pages (see tests/security/access.py)."""

from tests.security.access import LOGIN, Expect, members_only, public


def setup(world):
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from circulars.models import Circular, CircularAttachment, CircularRecipient
    from tests.circulars.factories import CircularFactory, QuestionCircularFactory

    sent = QuestionCircularFactory(
        subject="Workshop in Ingelheim", status=Circular.Status.SENT, sent_at=timezone.now()
    )
    attachment = CircularAttachment(circular=sent, title="Programm")
    attachment.file.save("programm.pdf", ContentFile(b"%PDF-1.4 Programm"), save=True)
    recipient = CircularRecipient.objects.create(
        circular=sent, contact=world.contact_a, answer="yes"
    )
    only_b = CircularFactory(
        subject="Rundschreiben nur an Trier", status=Circular.Status.SENT, sent_at=timezone.now()
    )
    CircularRecipient.objects.create(circular=only_b, contact=world.contact_b)
    draft = CircularFactory(subject="Entwurf eines Rundschreibens")
    world.objects["circulars.circular_a"] = sent
    world.objects["circulars.circular_attachment_a"] = attachment
    world.objects["circulars.circular_recipient_a"] = recipient
    world.secrets[only_b.subject] = {"member_b", "coordinator"}
    world.secrets[draft.subject] = {"coordinator"}


def circular_a(world):
    return {"pk": world.objects["circulars.circular_a"].pk}


def attachment_a(world):
    attachment = world.objects["circulars.circular_attachment_a"]
    return {"pk": attachment.circular_id, "attachment_pk": attachment.pk}


def reply_link_a(world):
    from circulars.services.links import reply_token

    recipient = world.objects["circulars.circular_recipient_a"]
    return {"pk": recipient.circular_id, "token": reply_token(recipient)}


EXPECTATIONS = {
    # the archive lists only what was sent to the member
    "circulars:archive": members_only(),
    "circulars:detail": Expect(LOGIN, 200, 404, 200, kwargs=circular_a),
    "circulars:attachment": Expect(LOGIN, 200, 404, 200, kwargs=attachment_a),
    # the signed personal link is the credential: no login needed
    "circulars:reply": public(kwargs=reply_link_a),
}
