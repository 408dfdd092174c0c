"""The catalogue at size: queries per page do not grow with the data, lists stay bounded,
*Wen fragen?* sums its evidence in the database and shows the strongest reasons."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from members.models import Topic
from projects import expertise_index
from projects.expertise import MAX_REASONS, rank, understand
from projects.models import AskConsent, ProjectProfile, Reuse
from tests.factories import ContactFactory, MemberContactFactory, MunicipalityFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from tests.news.factories import PublishedPostFactory
from tests.projects.factories import PublicProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sensors(network_topics):
    return Topic.objects.get(slug="sensornetzwerke")


def grow(*, home, other, topic, people, n, start=0):
    """``n`` public profiles of ``home`` led by ``people``, reuse by ``other``, talks, posts."""
    for number in range(start, start + n):
        project = PublicProjectFactory(
            municipality=home, title=f"Sensornetz {number}", topics=[topic]
        )
        project.contacts.add(*people)
        project.partner_municipalities.add(other)
        Reuse.objects.create(
            project=project, municipality=other, stage="adopted", confirmation="confirmed"
        )
        meeting = MeetingFactory(
            title=f"Treffen {number}",
            is_public=True,
            status=Meeting.Status.HELD,
            start=timezone.now() - timedelta(days=30 + number),
        )
        for person in people:
            AgendaItemFactory(
                meeting=meeting,
                title=f"Vortrag {number}",
                speaker=f"  {person.first_name.upper()}   {person.last_name} ",
                speaker_municipality=home,
                speaker_organisation="",
            ).topics.add(topic)
            if person.user_id:
                post = PublishedPostFactory(
                    municipality=home, author=person.user, title=f"Beitrag {number}"
                )
                post.topics.add(topic)


def queries(function) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def test_pages_and_whom_to_ask_run_as_many_queries_for_3_as_for_15_profiles(
    client, sensors, settings
):
    settings.IKONE_PROJECTS_PAGE_SIZE = 5
    home = MunicipalityFactory(slug="koblenz", name="Koblenz")
    other = MunicipalityFactory(slug="landau", name="Landau")
    people = [MemberContactFactory(municipality=home, first_name="Anna")]
    AskConsent.objects.create(contact=people[0]).topics.set([sensors])
    asker = MemberContactFactory(municipality=MunicipalityFactory())
    grow(home=home, other=other, topic=sensors, people=people, n=3)
    member = client.__class__()
    member.force_login(asker.user)
    pages = [
        lambda: client.get(reverse("projects:list")),
        lambda: client.get(reverse("members:municipality", args=["koblenz"])),
        lambda: client.get(reverse("members:municipality", args=["landau"])),
        lambda: member.get(reverse("projects:list")),
        lambda: member.get(reverse("members:municipality", args=["koblenz"])),
    ]
    asks = [
        lambda: rank(understand(topic=sensors), asker=asker.user),
        lambda: rank(understand(text="Sensornetz"), asker=asker.user),
    ]
    for page in pages + asks:
        page()  # warm caches (sessions, content types)
    few = [queries(page) for page in pages]
    asked = [queries(ask) for ask in asks]

    grow(home=home, other=other, topic=sensors, people=people, n=12, start=3)

    assert [queries(page) for page in pages] == few
    # Wen fragen?: a fixed number of reads (consent, cap, the evidence, the municipality's
    # topics; for own words the matching topics) and one per kind of reason shown — the
    # strongest five may be of fewer kinds with more data, never of more than there are
    kinds = len(expertise_index.kinds())
    for before, after, fixed in zip(asked, [queries(ask) for ask in asks], (5, 7), strict=True):
        assert before <= fixed + kinds and after <= fixed + kinds


def test_a_municipality_page_lists_its_latest_projects_and_counts_the_rest(client, sensors):
    home = MunicipalityFactory(slug="koblenz", name="Koblenz")
    other = MunicipalityFactory(slug="landau", name="Landau")
    grow(home=home, other=other, topic=sensors, people=[], n=13)

    page = client.get(reverse("members:municipality", args=["koblenz"])).content.decode()

    assert "Sensornetz 12" in page  # the latest
    assert "Sensornetz 0<" not in page and "Sensornetz 2<" not in page
    assert page.count(">Sensornetz ") == 10 + 10  # own projects and taken up by others
    assert f"{reverse('projects:list')}?municipality=koblenz" in page
    assert "Show all 13 projects" in page or "Alle 13 Projekte zeigen" in page
    landau = client.get(reverse("members:municipality", args=["landau"])).content.decode()
    assert "… and 3 more" in landau or "… und 3 weitere" in landau  # partner and reuse lists


def test_whom_to_ask_shows_the_strongest_reasons_and_counts_the_others(sensors):
    home = MunicipalityFactory(name="Koblenz")
    anna = MemberContactFactory(municipality=home, first_name="Anna", last_name="Alt")
    ben = ContactFactory(municipality=home, first_name="Ben", last_name="Bauer")
    for person in (anna, ben):
        AskConsent.objects.create(contact=person).topics.set([sensors])
    grow(home=home, other=MunicipalityFactory(), topic=sensors, people=[anna], n=4)
    PublicProjectFactory(municipality=home, title="Bens Pegel", topics=[sensors]).contacts.add(ben)

    experts = {e.contact.first_name: e for e in rank(understand(topic=sensors))}

    # four profiles led, four talks (the names spaced and cased differently), four posts
    assert len(experts["Anna"].reasons) == MAX_REASONS
    assert experts["Anna"].more_reasons == 4 * 3 - MAX_REASONS
    assert experts["Anna"].reasons[0].startswith("leads “Sensornetz")
    assert any(reason.startswith("spoke on “Vortrag") for reason in experts["Anna"].reasons)
    assert experts["Ben"].reasons == ["leads “Bens Pegel” (in operation)"]
    assert experts["Ben"].more_reasons == 0
    # the sum of every item, the newest weighing most
    assert experts["Anna"].score > 4 * 3.0


def test_whom_to_ask_words_only_the_reasons_it_shows(sensors, monkeypatch):
    from projects import expertise

    home = MunicipalityFactory(name="Koblenz")
    anna = MemberContactFactory(municipality=home, first_name="Anna", last_name="Alt")
    AskConsent.objects.create(contact=anna).topics.set([sensors])
    grow(home=home, other=MunicipalityFactory(), topic=sensors, people=[anna], n=4)
    for profile in ProjectProfile.objects.filter(municipality=home):
        profile.stage = "idea"  # 3.0 x 0.4
        profile.save()
    worded = []
    lead_reason = expertise._lead_reason
    monkeypatch.setattr(expertise, "_lead_reason", lambda p: worded.append(p) or lead_reason(p))

    (expert,) = rank(understand(topic=sensors))

    # four led ideas (1.2 each), four talks (2.0), four posts (1.5): the talks and a post
    # are shown, and the lead roles, kept as candidates, are never worded
    assert len(expert.reasons) == MAX_REASONS and expert.more_reasons == 12 - MAX_REASONS
    assert sum(reason.startswith("spoke") for reason in expert.reasons) == 4
    assert not any(reason.startswith("leads") for reason in expert.reasons)
    assert worded == []


def test_the_strongest_reasons_of_each_class_are_those_the_window_picks(sensors, postgres):
    """PostgreSQL reads a few rows per person and class along the index; the window over all
    their rows (SQLite's way) picks the same rows: a topic question (one class) and own words
    (profiles with the words weigh fully, those only on a matching topic less)."""
    from dataclasses import replace

    from projects.expertise import _indexed_evidence, consenting_contacts

    home = MunicipalityFactory(name="Koblenz")
    people = [MemberContactFactory(municipality=home, first_name=n) for n in ("Anna", "Ben")]
    for person in people:
        AskConsent.objects.create(contact=person).topics.set([sensors])
    grow(home=home, other=MunicipalityFactory(), topic=sensors, people=people, n=4)
    # the profiles with the words are ideas (3.0 x 0.4); those only on the topic are in
    # operation but weigh less for the words (3.0 x 0.6): the strongest mix both classes
    ProjectProfile.objects.filter(municipality=home).update(stage="idea")
    for number in range(4):
        project = PublicProjectFactory(
            municipality=home, title=f"Pegel {number}", summary="Wasserstände.", topics=[sensors]
        )
        project.contacts.add(*people)
    expertise_index.rebuild()
    now = timezone.now()

    for question in (understand(topic=sensors), understand(text="Sensornetz")):
        question = replace(question, today=timezone.localdate(now))
        contacts = consenting_contacts(question)
        indexed = _indexed_evidence(question, contacts, now=now)
        shown = set(contacts)

        def picked(rows):
            return sorted(
                (r["contact_id"], r["kind"], r["object_id"], round(r["weight"], 9), r["when"])
                for r in rows
            )

        by_class = indexed._strongest_of_each_class(shown)
        assert picked(by_class) == picked(indexed._strongest_in_a_window(shown))
        assert len(by_class) == MAX_REASONS * len(people)
    assert len(indexed.classes) == 2  # the own words had both classes
    kinds = {(row["kind"], round(row["weight"], 6)) for row in by_class}
    assert {weight for _kind, weight in kinds} >= {1.8, 2.0}  # indirect leads beside talks


def test_own_words_as_an_id_array_count_what_the_subquery_counts(sensors, postgres):
    """PostgreSQL matches the words once and hands the profiles on as one array: the totals,
    counts, classes and strongest rows are those of the subquery SQLite uses — for words in
    some profiles, in others, and in none (only in a topic's name: every role is indirect)."""
    from dataclasses import replace

    from projects.expertise import IdArray, _indexed_evidence, consenting_contacts

    home = MunicipalityFactory(name="Koblenz")
    people = [MemberContactFactory(municipality=home, first_name=n) for n in ("Anna", "Ben")]
    for person in people:
        AskConsent.objects.create(contact=person).topics.set([sensors])
    grow(home=home, other=MunicipalityFactory(), topic=sensors, people=people, n=3)
    for number in range(3):
        project = PublicProjectFactory(
            municipality=home, title=f"Pegel {number}", summary="Wasserstände.", topics=[sensors]
        )
        project.contacts.add(*people)
    expertise_index.rebuild()
    now = timezone.now()
    pegel = set(
        ProjectProfile.objects.filter(title__startswith="Pegel").values_list("pk", flat=True)
    )

    def reading(question):
        question = replace(question, today=timezone.localdate(now))
        contacts = consenting_contacts(question)
        indexed = _indexed_evidence(question, contacts, now=now)
        rows = indexed._strongest_of_each_class(set(contacts))
        totals = {pk: round(total, 6) for pk, total in indexed.totals.items()}
        strongest = sorted((r["contact_id"], r["kind"], r["object_id"]) for r in rows)
        return totals, indexed.counts, indexed.per_class, strongest

    empty = 0
    for words in ("Sensornetz", "Wasserstände", "Sensornetzwerke"):
        question = understand(text=words)
        assert isinstance(question.direct_projects, IdArray)
        matched = ProjectProfile.objects.for_members().filter(question.project_match())
        if words == "Wasserstände":
            assert set(matched.values_list("pk", flat=True)) == pegel
        empty += question.direct_projects.literal == "{}"
        as_subquery = replace(question, direct_projects=matched.values("pk"))
        found = reading(question)
        assert found == reading(as_subquery), words
        assert found[0] and all(sum(c) == found[1][pk] for pk, c in found[2].items())
    assert empty == 1  # "Sensornetzwerke" is only in the topic's name
