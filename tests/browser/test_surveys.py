"""The answer journey in Chromium, the ranking done with the keyboard only."""

import pytest

from surveys.models import Question, Response
from tests.factories import MemberContactFactory
from tests.surveys.factories import SurveyFactory, question_with_options

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """live_server serves static files through the finders: no hashed manifest names."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "de-DE"}


def test_member_answers_saves_and_submits_with_keyboard_ranking(page, live_server):
    survey = SurveyFactory(title="Themenumfrage")
    single = question_with_options(
        survey, Question.Kind.SINGLE, ["Alle sechs Wochen", "Quartalsweise"], required=True
    )
    ranking = question_with_options(
        survey, Question.Kind.RANKING, ["Datenschutz", "Smart City", "Digitalstrategie"]
    )
    contact = MemberContactFactory()
    contact.user.set_password("ein-langes-passwort-123")
    contact.user.save()

    page.goto(f"{live_server.url}/konto/login/")
    page.fill("input[name=login]", contact.email)
    page.fill("input[name=password]", "ein-langes-passwort-123")
    page.locator("form button[type=submit]").last.click()
    page.goto(f"{live_server.url}/bereich/umfragen/{survey.pk}/")

    page.get_by_label("Alle sechs Wochen").check()
    # Keyboard only: focus "Digitalstrategie" and move it to the top with Alt+ArrowUp.
    item = page.locator(".ranking-item", has_text="Digitalstrategie")
    item.focus()
    page.keyboard.press("Alt+ArrowUp")
    page.keyboard.press("Alt+ArrowUp")
    texts = page.locator(".ranking-text").all_inner_texts()
    assert texts == ["Digitalstrategie", "Datenschutz", "Smart City"]
    assert "Platz 1 von 3" in page.locator("[data-ranking-status]").inner_text()
    # …and the move-down button, pressed with the keyboard.
    page.locator(".ranking-item", has_text="Datenschutz").locator(".ranking-down").focus()
    page.keyboard.press("Enter")
    assert page.locator(".ranking-text").all_inner_texts() == [
        "Digitalstrategie",
        "Smart City",
        "Datenschutz",
    ]

    page.get_by_role("button", name="Entwurf speichern").click()
    assert page.get_by_text("als Entwurf gespeichert").is_visible()
    assert page.locator(".ranking-text").first.inner_text() == "Digitalstrategie"
    page.get_by_role("button", name="Antworten einreichen").click()
    assert page.get_by_text("Vielen Dank").first.is_visible()

    response = Response.objects.get()
    assert response.is_submitted
    ranked = response.answers.filter(question=ranking).order_by("rank")
    assert [a.option.text for a in ranked] == ["Digitalstrategie", "Smart City", "Datenschutz"]
    assert response.answers.get(question=single).option.text == "Alle sechs Wochen"


def test_answer_and_results_pages_have_no_axe_violations(page, live_server):
    from axe_playwright_python.sync_playwright import Axe

    from surveys.models import Survey

    survey = SurveyFactory(title="Themenumfrage", results_visibility=Survey.Visibility.PUBLIC)
    question_with_options(survey, Question.Kind.RANKING, ["Datenschutz", "Smart City"])
    question_with_options(survey, Question.Kind.RATING, [], min_label="schlecht", max_label="gut")
    question_with_options(survey, Question.Kind.NUMBER, [])
    question_with_options(survey, Question.Kind.MULTIPLE, ["E-Akte", "Portal"])
    contact = MemberContactFactory()
    contact.user.set_password("ein-langes-passwort-123")
    contact.user.save()
    page.goto(f"{live_server.url}/konto/login/")
    page.fill("input[name=login]", contact.email)
    page.fill("input[name=password]", "ein-langes-passwort-123")
    page.locator("form button[type=submit]").last.click()
    axe = Axe()
    for path in (
        f"/bereich/umfragen/{survey.pk}/",
        f"/umfragen/{survey.pk}/ergebnisse/",
        f"/umfragen/{survey.pk}/praesentation/1/",
    ):
        page.goto(f"{live_server.url}{path}")
        # The site header belongs to the foundation (its nav link contrast is reported there).
        violations = axe.run(page, context={"exclude": [["header"]]}).response["violations"]
        details = [(v["id"], [n["html"][:120] for n in v["nodes"]]) for v in violations]
        assert details == [], path


def test_ranking_without_javascript_moves_by_submitting(browser, live_server):
    survey = SurveyFactory(title="Themenumfrage")
    question_with_options(survey, Question.Kind.RANKING, ["Datenschutz", "Smart City"])
    text = question_with_options(survey, Question.Kind.TEXT, [])
    contact = MemberContactFactory()
    contact.user.set_password("ein-langes-passwort-123")
    contact.user.save()
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    page = context.new_page()
    page.goto(f"{live_server.url}/konto/login/")
    page.fill("input[name=login]", contact.email)
    page.fill("input[name=password]", "ein-langes-passwort-123")
    page.locator("form button[type=submit]").last.click()
    page.goto(f"{live_server.url}/bereich/umfragen/{survey.pk}/")
    page.fill(f"textarea[name={text.field_name}]", "Noch nicht gespeichert")
    page.get_by_role("button", name="„Smart City“ nach oben verschieben").click()
    assert page.locator(".ranking-text").all_inner_texts() == ["Smart City", "Datenschutz"]
    assert page.input_value(f"textarea[name={text.field_name}]") == "Noch nicht gespeichert"
    context.close()
