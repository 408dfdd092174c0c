"""The production profile: `check --deploy` is clean, cookies and headers are strict."""

import json
import os
import subprocess
import sys

import pytest

from tests.services import ROOT

PRODUCTION_ENV = {
    "IKONE_PROFILE": "production",
    "SECRET_KEY": "test-only-Zq8vN3r5Tw1xYb7Kd2Lm9Pc4Hs6Jf0Ga-very-long-secret-value",
    "ALLOWED_HOSTS": "portal.ikone-ds.example",
    "DATABASE_URL": "postgres://ikone@127.0.0.1:5432/ikone_not_connected",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
    "DEBUG": "false",
}


# Set by the test environment (browser tests), never in a deployment.
NOT_DEPLOYED = ("DEBUG", "IKONE_STATIC_MANIFEST", "DJANGO_ALLOW_ASYNC_UNSAFE", "ALLOWED_HOSTS")


def run_production(*args):
    env = {k: v for k, v in os.environ.items() if k not in NOT_DEPLOYED}
    env.update(PRODUCTION_ENV)
    env["DJANGO_SETTINGS_MODULE"] = "ikone.settings"
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_reports_nothing_in_the_production_profile():
    result = run_production("manage.py", "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_cookies_are_host_only_secure_httponly_and_lax():
    script = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({n: getattr(s, n) for n in ["
        "'SESSION_COOKIE_NAME','SESSION_COOKIE_SECURE','SESSION_COOKIE_HTTPONLY',"
        "'SESSION_COOKIE_SAMESITE','CSRF_COOKIE_NAME','CSRF_COOKIE_SECURE',"
        "'CSRF_COOKIE_HTTPONLY','CSRF_COOKIE_SAMESITE','SECURE_SSL_REDIRECT',"
        "'SECURE_HSTS_SECONDS','SECURE_PROXY_SSL_HEADER']}))"
    )
    result = run_production("-c", script)
    values = json.loads(result.stdout)

    assert values["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert values["CSRF_COOKIE_NAME"].startswith("__Host-")
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"] and values["CSRF_COOKIE_HTTPONLY"]
    assert values["SESSION_COOKIE_SAMESITE"] == values["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_production_profile_refuses_to_start_without_allowed_hosts():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "ALLOWED_HOSTS"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if k not in NOT_DEPLOYED}, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


@pytest.mark.django_db
def test_every_page_carries_the_strict_security_headers(client):
    response = client.get("/")

    csp = response["Content-Security-Policy"]
    assert "script-src 'self';" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_health_check_answers_plain_http_on_any_host_behind_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["portal.ikone-ds.example"]

    health = client.get("/health/", HTTP_HOST="127.0.0.1:8000")
    home = client.get("/", HTTP_HOST="portal.ikone-ds.example")

    assert health.status_code == 200
    assert health.json() == {"status": "ok"}
    assert home.status_code == 301
    assert home["Location"].startswith("https://")


@pytest.mark.django_db
def test_https_behind_the_proxy_is_recognised_by_the_configured_header(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    response = client.get("/", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 200
