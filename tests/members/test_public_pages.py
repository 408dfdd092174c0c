"""What a visitor without login sees: the network, its members, no contact data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import Municipality
from tests.factories import ContactFactory, MemberContactFactory, MunicipalityFactory, TopicFactory

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/mitglieder/",
    "/mitglieder/kaiserslautern/",
    "/mitglied-werden/",
    "/mitglied-werden/danke/",
    "/impressum/",
    "/datenschutz/",
    "/barrierefreiheit/",
    "/konto/login/",
    "/konto/password/reset/",
]


@pytest.fixture
def kaiserslautern():
    municipality = MunicipalityFactory(
        name="Kaiserslautern",
        slug="kaiserslautern",
        kind=Municipality.Kind.INDEPENDENT_CITY,
        district="",
        website="https://www.kaiserslautern.de",
    )
    ContactFactory(
        municipality=municipality,
        first_name="Lena",
        last_name="Hoffmann",
        email="lena.hoffmann@kaiserslautern.example",
        phone="0631 365-1234",
    )
    return municipality


@pytest.mark.parametrize("url", PUBLIC_PAGES)
@pytest.mark.parametrize("language", ["de", "en"])
def test_public_pages_open_without_login(client, kaiserslautern, url, language):
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_contact_data_is_never_on_public_pages(client, kaiserslautern, url):
    content = client.get(url).content.decode()
    assert "lena.hoffmann@kaiserslautern.example" not in content
    assert "0631 365-1234" not in content
    assert "Hoffmann" not in content


def test_homepage_says_how_many_municipalities_are_members(client):
    MunicipalityFactory.create_batch(3)
    MunicipalityFactory(status=Municipality.Status.LEFT)
    content = client.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "3 Kommunen sind Mitglied des Netzwerks." in content


def test_homepage_is_german_by_default_and_english_on_request(client):
    assert "Gemeinsam in die digitale Zukunft" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Together into a digital future" in client.get("/").content.decode()


def test_language_link_switches_to_english_and_returns_to_the_page(client):
    response = client.get("/sprache/en/", {"next": "/mitglieder/"})

    assert response.status_code == 302
    assert response["Location"] == "/mitglieder/"
    assert response.cookies["django_language"].value == "en"
    assert "Together into a digital future" in client.get("/").content.decode()


def test_language_link_never_leads_to_another_site(client):
    response = client.get("/sprache/en/", {"next": "https://evil.example/"})

    assert response["Location"] == "/"


def test_unknown_language_is_not_found(client):
    assert client.get("/sprache/xx/").status_code == 404


def test_anonymous_pages_carry_no_csrf_token_so_cached_copies_need_no_work(client, settings):
    _forget_cached_pages()
    for path in ("/", "/neuigkeiten/", "/mitglieder/"):
        response = client.get(path)
        assert b"csrfmiddlewaretoken" not in response.content, path
        assert settings.CSRF_COOKIE_NAME not in response.cookies, path


def test_member_list_shows_name_kind_district_year_and_links(client):
    MunicipalityFactory(
        name="Enkenbach-Alsenborn",
        slug="enkenbach-alsenborn",
        kind=Municipality.Kind.COLLECTIVE,
        district="Kaiserslautern",
        member_since="2021-03-01",
    )
    content = client.get("/mitglieder/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Enkenbach-Alsenborn" in content
    assert "Verbandsgemeinde" in content
    assert "Mitglied seit 2021" in content
    assert 'href="/mitglieder/enkenbach-alsenborn/"' in content


def test_member_list_hides_municipalities_that_left(client):
    MunicipalityFactory(name="Ausgetretenstadt", status=Municipality.Status.LEFT)
    assert "Ausgetretenstadt" not in client.get("/mitglieder/").content.decode()


def test_member_list_search(client):
    MunicipalityFactory(name="Ingelheim am Rhein")
    MunicipalityFactory(name="Bad Dürkheim")
    content = client.get("/mitglieder/?q=ingel").content.decode()
    assert "Ingelheim am Rhein" in content and "Bad Dürkheim" not in content


def test_municipality_page_shows_website_and_topics(client, kaiserslautern):
    kaiserslautern.topics.add(TopicFactory(name="Krisenfestigkeit"))
    content = client.get("/mitglieder/kaiserslautern/").content.decode()
    assert "https://www.kaiserslautern.de" in content
    assert "Krisenfestigkeit" in content


def test_page_of_a_municipality_that_left_is_404(client):
    MunicipalityFactory(slug="weg", status=Municipality.Status.LEFT)
    assert client.get("/mitglieder/weg/").status_code == 404


def test_members_see_the_contacts_on_the_municipality_page(client, kaiserslautern):
    client.force_login(MemberContactFactory().user)
    assert (
        "lena.hoffmann@kaiserslautern.example"
        in client.get("/mitglieder/kaiserslautern/").content.decode()
    )


def test_directory_is_hidden_from_anonymous_visitors(client, kaiserslautern):
    response = client.get("/bereich/kontakte/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/gibt-es-nicht/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()


def test_public_signup_is_closed(client):
    response = client.get("/konto/signup/")
    assert "/konto/signup/" not in client.get("/konto/login/").content.decode()
    assert response.status_code == 200
    assert 'name="password1"' not in response.content.decode()


@pytest.mark.parametrize("url", ["/", "/mitglieder/"])
def test_queries_do_not_grow_with_the_number_of_members(client, url, django_assert_num_queries):
    MunicipalityFactory.create_batch(2)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    MunicipalityFactory.create_batch(60)  # more than one page of the list
    _forget_cached_pages()  # the homepage is cached for visitors; measure a fresh render
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


def _forget_cached_pages():
    from django.core.cache import cache

    from ikone.pagecache import forget_version, local_pages

    cache.clear()
    local_pages.clear()
    forget_version()


def test_health_check(client):
    assert client.get("/health/").json() == {"status": "ok"}


@pytest.mark.parametrize("language", ["de", "en"])
def test_server_error_page_is_friendly(rf, language):
    from django.utils import translation

    from ikone.views import server_error

    with translation.override(language):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    text = response.content.decode()
    assert f'lang="{language}"' in text
    assert ("Etwas ist schiefgelaufen" if language == "de" else "Something went wrong") in text


@pytest.fixture
def unreachable_database(postgres, transactional_db):
    """The portal's database stops answering (a restart, a failover): the connection is
    closed and the next one goes to a port where nothing listens."""
    import socket

    from django.db import connection

    with socket.socket() as probe:  # a free port: nothing listens there
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings_dict = connection.settings_dict
    saved = settings_dict["HOST"], settings_dict["PORT"]
    connection.close()
    settings_dict["HOST"], settings_dict["PORT"] = "127.0.0.1", str(closed_port)
    try:
        yield
    finally:
        connection.close()
        settings_dict["HOST"], settings_dict["PORT"] = saved


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_database_that_cannot_be_reached_is_a_503_to_try_again_not_a_500(
    unreachable_database, language
):
    from django.test import Client

    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)

    response = client.get("/projekte/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    text = response.content.decode()
    assert f'lang="{language}"' in text
    assert ("Kurz nicht erreichbar" if language == "de" else "Briefly unavailable") in text
    assert "Etwas ist schiefgelaufen" not in text


def test_any_other_error_is_still_the_500_page(rf):
    from ikone.views import server_error

    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert not response.has_header("Retry-After")


@pytest.mark.parametrize("path", ["/api/projekte/nichts/", "/oparl/v1/nichts/"])
def test_the_machine_readable_interfaces_answer_a_missing_page_in_json(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": "not found", "status": 404}


def test_the_open_data_api_answers_an_unreachable_database_in_json(unreachable_database):
    from django.test import Client

    response = Client(raise_request_exception=False).get("/api/projekte/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {"error": "temporarily unavailable", "status": 503}


def test_a_server_error_of_the_api_is_json_and_of_a_page_html(rf):
    from ikone.views import server_error

    for path, kind in (("/api/projekte/", "application/json"), ("/projekte/", "text/html")):
        try:
            raise ValueError("a bug")
        except ValueError:
            response = server_error(rf.get(path))
        assert response.status_code == 500
        assert response["Content-Type"].startswith(kind)
