"""Every recipient of a circular gets their own working reply links (links are made in bulk)."""

import re

import pytest

from circulars.services import links as link_services
from circulars.services import sending as sending_services
from ikone.outbox.models import OutboundEmail
from tests.circulars.factories import QuestionCircularFactory
from tests.factories import ContactFactory, CoordinatorFactory

pytestmark = pytest.mark.django_db


def test_each_mail_carries_the_reply_links_of_its_own_recipient(client):
    contacts = ContactFactory.create_batch(4)
    circular = sending_services.send_circular(
        circular=QuestionCircularFactory(), by=CoordinatorFactory()
    )

    for contact in contacts:
        mail = OutboundEmail.objects.get(reference=circular.reference, to=contact.email)
        links = re.findall(r"https?://\S+?\?antwort=\w+", mail.body_text)
        assert links and all(link in mail.body_html for link in links)
        for link in links:
            token = link.split("/")[-2]
            recipient = link_services.recipient_from_token(circular_id=circular.pk, token=token)
            assert recipient.contact == contact
            assert recipient.email == mail
            assert link.startswith(link_services.reply_url(recipient).rsplit("/", 2)[0] + "/")
        path = "/" + links[0].split("://", 1)[1].split("/", 1)[1]
        assert client.get(path).status_code == 200
