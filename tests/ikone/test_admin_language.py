"""No English on the German admin: labels of third-party apps and the admin's own scripts."""

import json
import re

import pytest

from tests.factories import CoordinatorFactory

pytestmark = pytest.mark.django_db


def _catalog(script: str) -> dict:
    return json.loads(re.search(r"const newcatalog = (\{.*?\});", script, re.S).group(1))


def test_the_german_admin_index_names_every_app_and_model_in_german(client):
    client.force_login(CoordinatorFactory())
    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Zwei-Faktor-Anmeldung" in page
    assert "Authentifikatoren" in page
    captions = re.findall(r'class="section"[^>]*>([^<]+)</a>', page)
    models = re.findall(r'<th scope="row" id="[^"]*"><a [^>]*>([^<]+)</a>', page)
    assert "MFA" not in captions
    assert "Authenticators" not in models


def test_the_admin_scripts_speak_german(client):
    client.force_login(CoordinatorFactory())
    catalog = _catalog(client.get("/admin/jsi18n/", HTTP_ACCEPT_LANGUAGE="de").content.decode())
    for english, german in [
        ('Choose %s by selecting them and then select the "Choose" arrow button.', "Wählen Sie %s"),
        ("Choose all %s", "Alle %s auswählen"),
        ("Remove all %s", "Alle %s entfernen"),
        ("Remove selected %s", "Markierte %s entfernen"),
        ("Choose all", "Alle auswählen"),  # Django's own catalogue still applies
    ]:
        assert catalog[english].startswith(german), english
