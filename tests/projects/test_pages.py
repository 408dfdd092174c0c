"""The catalogue's pages: what visitors and members see, the editor, bad input."""

import re

import pytest
from django.urls import reverse

from ikone.markup import render_markdown
from projects.models import ProjectProfile
from tests.factories import MemberContactFactory, MunicipalityFactory, TopicFactory
from tests.projects.factories import ProjectFactory, PublicProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic():
    return TopicFactory(name="Smart City", slug="smart-city")


@pytest.fixture
def member(client):
    contact = MemberContactFactory(municipality=MunicipalityFactory(name="Kaiserslautern"))
    client.force_login(contact.user)
    return contact


def test_visitors_see_only_public_profiles(client, topic):
    PublicProjectFactory(title="Smarte Laternen", topics=[topic])
    ProjectFactory(title="Interner Entwurf", topics=[topic])

    page = client.get(reverse("projects:list")).content.decode()

    assert "Smarte Laternen" in page
    assert "Interner Entwurf" not in page


def test_members_see_every_profile_of_the_network(client, member, topic):
    ProjectFactory(title="Interner Entwurf", topics=[topic])

    assert "Interner Entwurf" in client.get(reverse("projects:list")).content.decode()


def test_members_only_profile_is_a_404_for_visitors(client, topic):
    project = ProjectFactory(topics=[topic])

    assert client.get(project.get_absolute_url()).status_code == 404


def test_list_filters_by_topic_stage_and_municipality(client, topic):
    other_topic = TopicFactory(name="Datenschutz", slug="datenschutz")
    koblenz = MunicipalityFactory(name="Koblenz", slug="koblenz")
    PublicProjectFactory(title="Wasserstand Rhein", topics=[topic], municipality=koblenz)
    PublicProjectFactory(title="Checkliste", topics=[other_topic], stage="completed")
    url = reverse("projects:list")

    assert "Checkliste" not in client.get(url, {"topic": "smart-city"}).content.decode()
    assert "Wasserstand Rhein" not in client.get(url, {"stage": "completed"}).content.decode()
    by_place = client.get(url, {"municipality": "koblenz"}).content.decode()
    assert "Wasserstand Rhein" in by_place and "Checkliste" not in by_place


def test_the_list_is_paginated_with_constant_queries(
    client, topic, settings, django_assert_max_num_queries
):
    settings.IKONE_PROJECTS_PAGE_SIZE = 5
    for number in range(12):
        PublicProjectFactory(title=f"Projekt {number}", topics=[topic])

    with django_assert_max_num_queries(8):
        response = client.get(reverse("projects:list"), {"page": 2})

    assert response.status_code == 200
    assert (
        "Page 2 of 3" in response.content.decode() or "Seite 2 von 3" in response.content.decode()
    )


@pytest.mark.parametrize("value", ["x" * 10_000, "'\"<script>", "nicht-da", "-1"])
def test_odd_filter_values_never_fail(client, value):
    for name in ("q", "topic", "stage", "municipality", "page"):
        assert client.get(reverse("projects:list"), {name: value}).status_code == 200


def test_a_nul_byte_in_a_filter_is_a_bad_request_not_an_error(client):
    assert client.get(reverse("projects:list"), {"q": "Sensor\x00netz"}).status_code == 400


def test_the_editor_offers_partners_as_checkboxes_and_a_translated_empty_choice(
    client, member, topic
):
    """Partner municipalities are ticked (a list box needed Ctrl for a second one); the
    member's own municipality is not among them; field of action and stage start on a
    worded empty choice instead of dashes."""
    mainz = MunicipalityFactory(name="Mainz")

    page = client.get(reverse("projects:create"), HTTP_ACCEPT_LANGUAGE="de").content.decode()

    partners = re.findall(
        r'<input type="(\w+)"[^>]*name="partner_municipalities" value="(\d+)"', page
    )
    assert ("checkbox", str(mainz.pk)) in partners
    assert str(member.municipality_id) not in {value for _kind, value in partners}
    assert {kind for kind, _value in partners} == {"checkbox"}
    assert '<select name="partner_municipalities"' not in page
    assert "– bitte wählen –" in page
    assert "---------" not in page


def test_member_writes_a_profile_and_sees_it(client, member, topic):
    response = client.post(
        reverse("projects:create"),
        {
            "title": "Smarte Laternen",
            "summary": "Laternen warnen akustisch.",
            "topics": [topic.pk],
            "field_of_action": "safety",
            "stage": "stopped",
            "stage_reason": "Zu kompliziert für die Organisation.",
            "visibility": "members",
            "save": "",
        },
    )

    project = ProjectProfile.objects.get()
    assert response.status_code == 302
    assert response["Location"] == project.get_absolute_url()
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Zu kompliziert für die Organisation." in page


def test_a_profile_without_topic_keeps_what_was_typed(client, member, topic):
    """(``topic``: a transactional test may have flushed the seeded topics, and a field
    without choices shows no message.)"""
    response = client.post(
        reverse("projects:create"),
        {
            "title": "Smarte Laternen",
            "summary": "Laternen warnen akustisch.",
            "field_of_action": "safety",
            "stage": "idea",
            "visibility": "members",
        },
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Please choose at least one topic." in page or "mindestens ein Thema" in page
    assert "Laternen warnen akustisch." in page
    assert not ProjectProfile.objects.exists()


def test_a_budget_outside_the_bands_is_refused(client, member, topic):
    response = client.post(
        reverse("projects:create"),
        {
            "title": "Smarte Laternen",
            "summary": "Laternen",
            "topics": [topic.pk],
            "field_of_action": "safety",
            "stage": "idea",
            "budget_band": "1000000",
            "visibility": "members",
        },
    )

    assert response.status_code == 200
    assert not ProjectProfile.objects.exists()


def test_member_of_another_municipality_cannot_open_the_editor(client, member, topic):
    project = ProjectFactory(topics=[topic])

    assert client.get(reverse("projects:edit", args=[project.slug])).status_code == 403
    response = client.post(reverse("projects:edit", args=[project.slug]), {"title": "Gekapert"})
    assert response.status_code == 403


def test_save_and_submit_sends_a_public_profile_to_review(client, member, topic):
    client.post(
        reverse("projects:create"),
        {
            "title": "Smarte Laternen",
            "summary": "Laternen warnen akustisch.",
            "topics": [topic.pk],
            "field_of_action": "safety",
            "stage": "operation",
            "visibility": "public",
            "submit": "",
        },
    )

    assert ProjectProfile.objects.get().status == ProjectProfile.Status.SUBMITTED


def test_contacts_are_shown_to_members_only(client, topic):
    project = PublicProjectFactory(topics=[topic])
    contact = MemberContactFactory(municipality=project.municipality, email="lena@kl.example")
    project.contacts.add(contact)

    assert "lena@kl.example" not in client.get(project.get_absolute_url()).content.decode()
    client.force_login(contact.user)
    assert "lena@kl.example" in client.get(project.get_absolute_url()).content.decode()


def test_topic_page_lists_its_projects_and_offers_whom_to_ask(client, topic):
    PublicProjectFactory(title="Smarte Laternen", topics=[topic])
    ProjectFactory(title="Interne Laternen", topics=[topic])
    url = reverse("projects:topic", args=[topic.slug])

    page = client.get(url).content.decode()
    assert "Smarte Laternen" in page and "Interne Laternen" not in page
    assert reverse("projects:ask") not in page

    client.force_login(MemberContactFactory().user)
    page = client.get(url).content.decode()
    assert "Interne Laternen" in page
    assert reverse("projects:ask") in page
    assert client.get(reverse("projects:topic", args=["gibt-es-nicht"])).status_code == 404


def test_the_topic_message_shows_even_when_there_are_no_topics_to_tick(client, member):
    from members.models import Topic

    Topic.objects.all().delete()

    response = client.post(
        reverse("projects:create"),
        {
            "title": "Smarte Laternen",
            "summary": "Laternen",
            "field_of_action": "safety",
            "stage": "idea",
            "visibility": "members",
        },  # fmt: skip
    )

    page = response.content.decode()
    assert "Please choose at least one topic." in page or "mindestens ein Thema" in page


def _described(title: str, summary: str, description: str, topic) -> ProjectProfile:
    """A public profile with its description rendered as the service renders it."""
    return PublicProjectFactory(
        title=title,
        summary=summary,
        description=description,
        description_html=render_markdown(description),
        topics=[topic],
    )


def test_a_description_that_repeats_the_summary_is_shown_and_searched_once(client, topic):
    from projects.search import project_documents

    repeated = _described(
        "Pegelmessung",
        "Ein Sensornetz misst die Pegel.",
        "Ein Sensornetz misst die Pegel.\n",
        topic,
    )
    longer = _described(
        "Laternen", "Laternen warnen.", "Die Laternen warnen akustisch und optisch.", topic
    )

    page = client.get(repeated.get_absolute_url()).content.decode()
    assert page.count("Ein Sensornetz misst die Pegel.") == 1 + page.count(
        'content="Ein Sensornetz misst die Pegel.'
    )
    assert (
        "Die Laternen warnen akustisch und optisch."
        in client.get(longer.get_absolute_url()).content.decode()
    )
    documents = {document.title: document for document in project_documents([repeated, longer])}
    assert "Sensornetz" not in documents["Pegelmessung"].body
    assert "akustisch und optisch" in documents["Laternen"].body


# --- The topics ---------------------------------------------------------------------------


def test_the_topic_index_counts_the_profiles_each_viewer_may_open(
    client, member, topic, django_assert_num_queries
):
    client.logout()
    privacy = TopicFactory(
        name="Datenschutz im Test", slug="datenschutz-im-test", description="DSGVO & Co."
    )
    TopicFactory(name="Altes Thema", slug="altes-thema", is_active=False)
    PublicProjectFactory(title="Smarte Laternen", topics=[topic, privacy])
    PublicProjectFactory(title="Pegel", topics=[topic])
    ProjectFactory(title="Interner Entwurf", topics=[topic])
    ProjectFactory(title="Zurückgezogen", topics=[topic], status=ProjectProfile.Status.ARCHIVED)

    with django_assert_num_queries(1):
        visitor = client.get(reverse("projects:topics"))
    html = visitor.content.decode()

    assert visitor.status_code == 200
    assert reverse("projects:topic", args=["smart-city"]) in html
    assert reverse("projects:topic", args=["datenschutz-im-test"]) in html
    assert "DSGVO &amp; Co." in html
    assert "Altes Thema" not in html
    assert card_count(html, "Smart City") == "2 Projekte"
    assert card_count(html, "Datenschutz im Test") == "1 Projekt"
    client.force_login(member.user)
    # members also count the members-only profile, nobody the withdrawn one
    assert card_count(page_of(client, "projects:topics"), "Smart City") == "3 Projekte"


def test_topic_pages_lead_back_to_the_index_and_the_homepage_to_all_topics(client, topic):
    index = reverse("projects:topics")

    assert index in page_of(client, "projects:topic", slug=topic.slug)
    assert index in page_of(client, "home")


def test_the_sitemap_lists_topics_and_public_profiles_only(client, topic):
    public = PublicProjectFactory(title="Smarte Laternen", topics=[topic])
    internal = ProjectFactory(title="Interner Entwurf", topics=[topic])

    sitemap = client.get("/sitemap.xml").content.decode()

    assert f"http://testserver{public.get_absolute_url()}</loc>" in sitemap
    assert f"http://testserver{reverse('projects:topic', args=[topic.slug])}</loc>" in sitemap
    assert f"http://testserver{reverse('projects:topics')}</loc>" in sitemap
    assert f"http://testserver{reverse('projects:list')}</loc>" in sitemap
    assert internal.get_absolute_url() not in sitemap


def card_count(html: str, topic: str) -> str:
    """The footer of the topic's card on /themen/."""
    card = re.search(rf">{re.escape(topic)}</a>(.*?)</article>", html, re.S)
    assert card, topic
    return re.search(r"card-footer[^>]*>\s*(.*?)\s*</div>", card.group(1), re.S).group(1)


def page_of(client, name, **kwargs) -> str:
    response = client.get(reverse(name, kwargs=kwargs or None))
    assert response.status_code == 200
    return response.content.decode()
