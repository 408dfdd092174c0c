"""Access expectations of the member network's pages (see tests/security/access.py)."""

from tests.security.access import LOGIN, Expect, members_only, public


def setup(world):
    contact = world.contact_a
    # Contact data: members and coordinators only, never the public.
    world.secrets[contact.email] = {"member_a", "member_b", "coordinator"}
    world.secrets[contact.phone] = {"member_a", "member_b", "coordinator"}
    _circulars(world)


def _circulars(world):
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from members.models import Circular, CircularAttachment, CircularRecipient
    from tests.members.circular_factories import CircularFactory, QuestionCircularFactory

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
    world.objects["members.circular_a"] = sent
    world.objects["members.circular_attachment_a"] = attachment
    world.objects["members.circular_recipient_a"] = recipient
    world.secrets[only_b.subject] = {"member_b", "coordinator"}
    world.secrets[draft.subject] = {"coordinator"}


def municipality_a(world):
    return {"slug": world.municipality_a.slug}


def circular_a(world):
    return {"pk": world.objects["members.circular_a"].pk}


def attachment_a(world):
    attachment = world.objects["members.circular_attachment_a"]
    return {"pk": attachment.circular_id, "attachment_pk": attachment.pk}


def reply_link_a(world):
    from members.services import reply_token

    recipient = world.objects["members.circular_recipient_a"]
    return {"pk": recipient.circular_id, "token": reply_token(recipient)}


EXPECTATIONS = {
    "members:municipality_list": public(),
    "members:municipality": public(kwargs=municipality_a),
    "members:municipality_topics": Expect(LOGIN, 200, 403, 200, kwargs=municipality_a),
    "members:apply": public(),
    "members:apply_done": public(),
    "members:accept_invitation": Expect(
        400, 400, 400, 400, kwargs=lambda w: {"uidb64": "MQ", "token": "invalid-token"}
    ),
    "members:area": members_only(),
    # coordinators have no contact record of their own
    "members:profile": Expect(LOGIN, 200, 200, 403),
    "members:directory": members_only(),
    "members:directory_csv": members_only(),
    "members:directory_vcard": members_only(),
    # --- circular letters: the archive lists only what was sent to the member
    "members:circular_archive": members_only(),
    "members:circular_detail": Expect(LOGIN, 200, 404, 200, kwargs=circular_a),
    "members:circular_attachment": Expect(LOGIN, 200, 404, 200, kwargs=attachment_a),
    # the signed personal link is the credential: no login needed
    "members:circular_reply": public(kwargs=reply_link_a),
    "members:mail_preferences": Expect(LOGIN, 200, 200, 403),
}
