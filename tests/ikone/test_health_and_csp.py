"""The health check has one answer, from the middleware; the CSP is written once."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_health_is_answered_by_the_middleware_before_host_checks(client):
    response = client.get("/health/", HTTP_HOST="health-probe.internal")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"  # the middleware's, not a view's


def test_other_methods_on_health_get_the_same_answer(client):
    response = client.post("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_pages_carry_the_policy_from_settings(settings):
    settings.IKONE_CSP = {"default-src": ["'self'"], "frame-ancestors": ["'none'"]}
    response = Client().get("/", HTTP_ACCEPT_LANGUAGE="de")
    assert response["Content-Security-Policy"] == "default-src 'self'; frame-ancestors 'none'"
