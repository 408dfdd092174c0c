"""A whole day per role in Chromium, by keyboard wherever a person would type or click.

The public visitor reads the news and the member list and applies for membership; a member
posts news, registers for the Stammtisch, answers the survey and a circular letter; the
coordinator logs in with TOTP, approves an application, announces a meeting, publishes the
member's post, sends a circular letter and reads the survey results. No page of any journey
requests anything from a third party.
"""

import re
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone
from playwright.sync_api import expect

from circulars.models import Circular, CircularRecipient
from circulars.services import sending as sending_services
from ikone.outbox.models import OutboundEmail
from meetings.models import Meeting, Registration
from members.models import MembershipApplication, Municipality
from news import services as news_services
from news.models import Post
from surveys import services as survey_services
from surveys.models import Question, Response
from tests.browser.privacy import RequestRecorder, log_in
from tests.circulars.factories import QuestionCircularFactory
from tests.factories import (
    CoordinatorFactory,
    MemberContactFactory,
    MembershipApplicationFactory,
    MunicipalityFactory,
)
from tests.meetings.factories import MeetingFactory, MeetingSeriesFactory
from tests.news.factories import PublishedPostFactory
from tests.pdfs import tiny_pdf
from tests.surveys.factories import SurveyFactory, option_ids, question_with_options
from tests.totp import TOTP_SECRET, current_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "ein-langes-passwort-123"


@pytest.fixture
def browser_context_args(browser_context_args):
    """A German browser: the portal answers in German."""
    return {**browser_context_args, "locale": "de-DE"}


@pytest.fixture(autouse=True)
def _patient_expect():
    """The machine may be busy: wait as long for an assertion as for a page."""
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


def type_into(page, selector, text):
    page.locator(selector).focus()
    page.keyboard.type(text)


def press(target, key="Enter"):
    """Focus a link, button or field (a locator) and press a key on it."""
    target.focus()
    target.page.keyboard.press(key)


def follow(page, selector, url_pattern):
    """Focus the one element matching ``selector``, press Enter, wait for the next page."""
    press(page.locator(selector))
    page.wait_for_url(re.compile(url_pattern))


def log_in_by_keyboard(page, live_server, email):
    page.goto(live_server.url + "/konto/login/")
    type_into(page, "input[name=login]", email)
    type_into(page, "input[name=password]", PASSWORD)
    page.keyboard.press("Enter")


# --- The public visitor ---------------------------------------------------------------------


def test_visitor_reads_the_news_and_the_members_and_applies_for_membership(
    page, live_server, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    kaiserslautern = MunicipalityFactory(name="Kaiserslautern", slug="kaiserslautern")
    post = PublishedPostFactory(
        title="Smarte Laternen im Stadtgebiet",
        body="Die Stadt testet **vierzig** vernetzte Laternen.",
        municipality=kaiserslautern,
    )
    letter = tmp_path / "antrag.pdf"
    letter.write_bytes(tiny_pdf())
    recorder = RequestRecorder(page)

    # Homepage → news list → one published post.
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")  # the first stop is the skip link
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    expect(page.locator("#latest-posts-heading")).to_be_visible()
    follow(page, '#mainnav a[href="/neuigkeiten/"]', r"/neuigkeiten/$")
    expect(page.get_by_role("heading", level=1)).to_have_text("Neuigkeiten aus dem Netzwerk")
    follow(page, f'main a[href="{post.get_absolute_url()}"]', re.escape(post.get_absolute_url()))
    expect(page.get_by_role("heading", level=1)).to_have_text("Smarte Laternen im Stadtgebiet")
    expect(page.locator(".post-body strong")).to_have_text("vierzig")

    # Member list → the municipality's page.
    follow(page, '#mainnav a[href="/mitglieder/"]', r"/mitglieder/$")
    follow(page, 'main a[href="/mitglieder/kaiserslautern/"]', r"/mitglieder/kaiserslautern/$")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kaiserslautern")

    # Back to the homepage and on to the application form.
    follow(page, "header a.navbar-brand", rf"^{re.escape(live_server.url)}/$")
    follow(page, 'main a[href="/mitglied-werden/"]', r"/mitglied-werden/$")
    type_into(page, "#id_municipality_name", "Bad Dürkheim")
    page.focus("#id_kind")
    page.select_option("#id_kind", "stadt")
    type_into(page, "#id_district", "Bad Dürkheim")
    type_into(page, "#id_ags", "07332002")
    type_into(page, "#id_head_of_administration", "Natalie Bauernschmitt")
    page.set_input_files("#id_letter", str(letter))
    type_into(page, "#id_contact_first_name", "Clara")
    type_into(page, "#id_contact_last_name", "Neu")
    type_into(page, "#id_contact_email", "clara.neu@bad-duerkheim.example")
    page.focus("#id_privacy_consent")
    page.keyboard.press("Space")
    page.keyboard.press("Enter")  # submits the form from the focused checkbox

    page.wait_for_url(re.compile(r"/mitglied-werden/danke/$"))
    assert MembershipApplication.objects.get().municipality_name == "Bad Dürkheim"
    recorder.assert_local()


# --- The member -----------------------------------------------------------------------------


def test_member_posts_news_registers_answers_the_survey_and_a_circular(
    page, live_server, settings, network_topics
):
    settings.SITE_URL = live_server.url
    contact = MemberContactFactory(
        first_name="Lena",
        email="lena@kaiserslautern.example",
        municipality__name="Kaiserslautern",
    )
    stammtisch = MeetingFactory(
        series=MeetingSeriesFactory(),
        number=4,
        title="",
        kind=Meeting.Kind.STAMMTISCH,
        online_link="https://konferenz.example/stammtisch",
    )
    survey = SurveyFactory(title="Themenumfrage 2026")
    cadence = question_with_options(
        survey, Question.Kind.SINGLE, ["Alle sechs Wochen", "Quartalsweise"], required=True
    )
    ranking = question_with_options(
        survey, Question.Kind.RANKING, ["Datenschutz", "Smart City", "Digitalstrategie"]
    )
    wish = question_with_options(survey, Question.Kind.TEXT, [])
    circular = sending_services.send_circular(
        circular=QuestionCircularFactory(
            subject="Workshop in Ingelheim", closes_at=timezone.now() + timedelta(days=7)
        ),
        by=CoordinatorFactory(),
    )
    recorder = RequestRecorder(page)

    log_in_by_keyboard(page, live_server, contact.email)
    page.wait_for_url(re.compile(r"/bereich/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Willkommen, Lena")

    # A news post: written in "my area", previewed, submitted for review.
    follow(page, 'main a[href="/bereich/beitraege/"]', r"/bereich/beitraege/$")
    follow(page, 'main h1 + a[href="/bereich/beitraege/neu/"]', r"/bereich/beitraege/neu/$")
    type_into(page, "#id_title", "Unser neues Bürgerportal")
    type_into(page, "#id_teaser", "Seit heute sind zwölf Dienste online.")
    type_into(page, "#id_body", "Das Portal bietet **zwölf** Dienste.")
    topic = page.get_by_label(network_topics[0].name, exact=True)
    press(topic, "Space")
    expect(page.locator("#news-preview strong")).to_have_text("zwölf")  # the live preview
    with page.expect_navigation():
        press(page.locator("button[name=preview]"))
    expect(page.locator("#news-preview strong")).to_have_text("zwölf")  # the server preview
    expect(page.locator("#id_title")).to_have_value("Unser neues Bürgerportal")
    expect(topic).to_be_checked()
    press(page.locator("button[name=submit]"))
    page.wait_for_url(re.compile(r"/bereich/beitraege/$"))
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("tbody tr", has_text="Unser neues Bürgerportal")).to_be_visible()
    post = Post.objects.get(title="Unser neues Bürgerportal")
    assert post.status == Post.Status.SUBMITTED
    assert post.municipality == contact.municipality
    assert list(post.topics.all()) == [network_topics[0]]

    # The upcoming Stammtisch: register; the online link appears only afterwards.
    follow(page, '#mainnav a[href="/treffen/"]', r"/treffen/$")
    follow(page, f'main a[href="{stammtisch.get_absolute_url()}"]', r"/treffen/[\w-]+/$")
    expect(page.get_by_role("heading", level=1)).to_have_text(stammtisch.display_title)
    expect(page.get_by_test_id("online-link")).to_have_count(0)
    press(page.get_by_role("button", name="Anmelden", exact=True))
    expect(page.get_by_test_id("registration-status")).to_contain_text(
        "Sie sind für dieses Treffen angemeldet."
    )
    expect(page.get_by_test_id("online-link")).to_have_text("https://konferenz.example/stammtisch")
    assert Registration.objects.get(meeting=stammtisch).contact == contact

    # The open survey, the ranking by keyboard: Alt+Arrow keys and a move button.
    follow(page, '#mainnav a[href="/bereich/"]', r"/bereich/$")
    follow(page, 'main a[href="/bereich/umfragen/"]', r"/bereich/umfragen/$")
    follow(
        page, f'main a[href="/bereich/umfragen/{survey.pk}/"]', rf"/bereich/umfragen/{survey.pk}/$"
    )
    press(page.get_by_label("Alle sechs Wochen"), "Space")
    expect(page.get_by_label("Alle sechs Wochen")).to_be_checked()
    page.locator(".ranking-item", has_text="Digitalstrategie").focus()
    page.keyboard.press("Alt+ArrowUp")
    page.keyboard.press("Alt+ArrowUp")
    expect(page.locator(".ranking-text")).to_have_text(
        ["Digitalstrategie", "Datenschutz", "Smart City"]
    )
    expect(page.locator("[data-ranking-status]")).to_contain_text("Platz 1 von 3")
    press(page.locator(".ranking-item", has_text="Datenschutz").locator(".ranking-down"))
    expect(page.locator(".ranking-text")).to_have_text(
        ["Digitalstrategie", "Smart City", "Datenschutz"]
    )
    type_into(page, f"textarea[name={wish.field_name}]", "Mehr zu Open Data")
    press(page.get_by_role("button", name="Antworten einreichen"))
    expect(page.get_by_text("Vielen Dank").first).to_be_visible()
    response = Response.objects.get(survey=survey)
    assert response.is_submitted
    ranked = response.answers.filter(question=ranking).order_by("rank")
    assert [a.option.text for a in ranked] == ["Digitalstrategie", "Smart City", "Datenschutz"]
    assert response.answers.get(question=cadence).option.text == "Alle sechs Wochen"
    assert response.answers.get(question=wish).text == "Mehr zu Open Data"

    # A circular letter from the archive, answered through its reply link.
    follow(page, '#mainnav a[href="/bereich/"]', r"/bereich/$")
    follow(page, 'main a[href="/bereich/rundschreiben/"]', r"/bereich/rundschreiben/$")
    follow(
        page,
        f'main a[href="/bereich/rundschreiben/{circular.pk}/"]',
        rf"/bereich/rundschreiben/{circular.pk}/$",
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Workshop in Ingelheim")
    expect(page.get_by_text("Sie haben noch nicht geantwortet.")).to_be_visible()
    follow(page, "main a.btn-primary", rf"/rundschreiben/{circular.pk}/antwort/")
    press(page.locator("#answer-yes"), "Space")
    expect(page.locator("#answer-yes")).to_be_checked()
    type_into(page, "#comment", "Wir kommen zu zweit.")
    press(page.locator("main form button[type=submit]"))
    page.wait_for_url(re.compile(r"gespeichert=1$"))
    expect(page.get_by_role("status").first).to_contain_text("Wir kommen zu zweit.")
    recipient = CircularRecipient.objects.get(circular=circular, contact=contact)
    assert (recipient.answer, recipient.comment) == ("yes", "Wir kommen zu zweit.")

    recorder.assert_local()


# --- The coordinator ------------------------------------------------------------------------


def _submitted_post(contact, title):
    """A post as a member submits it for review (through the same services as the editor)."""
    post = news_services.save_post(
        by=contact.user,
        post=None,
        municipality=None,
        kind=Post.Kind.NEWS,
        title=title,
        teaser="Die Verbandsgemeinde hat ihr Ratsinformationssystem erneuert.",
        body="Ein **neuer** Absatz.",
        topics=[],
        cover=None,
        remove_cover=False,
        cover_alt="",
        meeting=None,
    )
    return news_services.submit_post(post=post, by=contact.user)


def _survey_with_one_response(contact, title):
    survey = SurveyFactory(title=title)
    question = question_with_options(survey, Question.Kind.SINGLE, ["Ja", "Nein"])
    yes, _no = option_ids(question)
    survey_services.save_response(
        survey=survey, contact=contact, answers={question.pk: yes}, version=0, submit=True
    )
    return survey


def test_coordinator_approves_announces_moderates_sends_a_circular_and_reads_results(
    page, browser, live_server, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = live_server.url
    settings.IKONE_STAFF_REQUIRE_MFA = True
    coordinator = CoordinatorFactory(email="koordination@ikone-ds.example")
    TOTP.activate(coordinator, TOTP_SECRET)
    application = MembershipApplicationFactory(
        municipality_name="Neustadt", contact_email="clara@neustadt.example"
    )
    member = MemberContactFactory(municipality__name="Enkenbach-Alsenborn")
    other = MemberContactFactory(municipality__name="Otterberg")
    post = _submitted_post(member, "Neues Ratsinformationssystem")
    survey = _survey_with_one_response(member, "Umfrage zur Verwaltungscloud")
    recorder = RequestRecorder(page)

    # Log in: password, then the code of the authenticator app.
    page.goto(live_server.url + "/admin/")  # the admin login is allauth's
    type_into(page, "input[name=login]", coordinator.email)
    type_into(page, "input[name=password]", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/konto/2fa/authenticate/"))
    type_into(page, "input[name=code]", current_code())
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/admin/$"))

    # Approve the membership application.
    follow(
        page,
        '#content-main th a[href="/admin/members/membershipapplication/"]',
        r"/admin/members/membershipapplication/$",
    )
    press(page.locator(f'input[name="_selected_action"][value="{application.pk}"]'), "Space")
    page.select_option("select[name=action]", "approve")
    press(page.locator("button[name=index]"))
    expect(page.locator(".messagelist")).to_be_visible()
    assert Municipality.objects.filter(name="Neustadt").exists()
    assert OutboundEmail.objects.filter(to="clara@neustadt.example").exists()

    # Plan a meeting and announce it.
    day = timezone.localdate() + timedelta(days=21)
    follow(page, "#site-name a", r"/admin/$")
    follow(page, 'a[href="/admin/meetings/meeting/add/"]', r"/admin/meetings/meeting/add/$")
    page.select_option("#id_kind", "stammtisch")
    type_into(page, "#id_title", "Stammtisch Open Data")
    type_into(page, "#id_start_0", day.strftime("%d.%m.%Y"))
    type_into(page, "#id_start_1", "10:00")
    type_into(page, "#id_end_0", day.strftime("%d.%m.%Y"))
    type_into(page, "#id_end_1", "12:00")
    type_into(page, "#id_online_link", "https://konferenz.example/open-data")
    page.select_option("#id_status", "announced")
    press(page.locator("input[name=_save]"))
    page.wait_for_url(re.compile(r"/admin/meetings/meeting/$"))
    expect(page.locator(".messagelist .success")).to_be_visible()
    meeting = Meeting.objects.get(title="Stammtisch Open Data")
    assert meeting.status == Meeting.Status.ANNOUNCED
    assert timezone.localtime(meeting.start).date() == day

    # Moderate the member's post: publish it.
    follow(page, "#site-name a", r"/admin/$")
    follow(page, '#content-main th a[href="/admin/news/post/"]', r"/admin/news/post/$")
    follow(page, '#changelist-filter a[href="?queue=waiting"]', r"\?queue=waiting$")
    follow(page, f'a[href="/admin/news/post/{post.pk}/moderate/"]', rf"/{post.pk}/moderate/$")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Neues Ratsinformationssystem")
    press(page.locator("input[name=publish]"))
    page.wait_for_url(re.compile(r"/admin/news/post/$"))
    expect(page.locator(".messagelist .success")).to_be_visible()
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED

    # The public sees the announced meeting and the published post.
    public = browser.new_context(locale="de-DE").new_page()
    public.set_default_timeout(15_000)
    public_recorder = RequestRecorder(public)
    public.goto(live_server.url + "/")
    latest = public.locator("section[aria-labelledby=latest-posts-heading]")
    expect(latest.get_by_role("link", name="Neues Ratsinformationssystem")).to_be_visible()
    follow(public, '#mainnav a[href="/neuigkeiten/"]', r"/neuigkeiten/$")
    follow(public, f'main a[href="{post.get_absolute_url()}"]', re.escape(post.slug))
    expect(public.get_by_role("heading", level=1)).to_have_text("Neues Ratsinformationssystem")
    follow(public, '#mainnav a[href="/treffen/"]', r"/treffen/$")
    follow(public, f'main a[href="{meeting.get_absolute_url()}"]', re.escape(meeting.slug))
    expect(public.get_by_role("heading", level=1)).to_have_text("Stammtisch Open Data")
    expect(public.get_by_test_id("online-link")).to_have_count(0)  # for registered members
    public_recorder.assert_local()
    public.context.close()

    # Write a circular letter with a question and send it; follow the delivery.
    follow(page, "#site-name a", r"/admin/$")
    follow(page, 'a[href="/admin/circulars/circular/add/"]', r"/admin/circulars/circular/add/$")
    type_into(page, "#id_subject", "Einladung zum Open-Data-Workshop")
    type_into(page, "#id_body", "Liebe Mitglieder,\n\nwir laden zum **Workshop** ein.")
    type_into(page, "#id_question", "Nehmen Sie teil?")
    page.select_option("#id_answer_choices", "yes_no_maybe")
    press(page.locator("input[name=_continue]"))
    page.wait_for_url(re.compile(r"/admin/circulars/circular/\d+/change/$"))
    circular = Circular.objects.get(subject="Einladung zum Open-Data-Workshop")
    press(page.locator("button[form=circular-send]"))
    page.wait_for_url(re.compile(rf"/admin/circulars/circular/{circular.pk}/progress/$"))
    recipients = CircularRecipient.objects.filter(circular=circular)
    assert {member.email, other.email} <= {r.contact.email for r in recipients}
    recipients = recipients.count()
    progress = page.locator("#circular-progress")
    expect(progress.locator("[data-field=total]")).to_have_text(str(recipients))
    # Tasks run in-process here: every e-mail has left by the time the page shows.
    expect(progress.locator("[data-field=sent]")).to_have_text(str(recipients))
    expect(progress.locator("[data-field=failed]")).to_have_text("0")
    expect(progress.locator("[data-field=status_label]")).to_have_text("gesendet")
    circular.refresh_from_db()
    assert circular.status == Circular.Status.SENT

    # The survey results, with the share of municipalities that answered.
    follow(page, "#site-name a", r"/admin/$")
    follow(page, '#content-main th a[href="/admin/surveys/survey/"]', r"/admin/surveys/survey/$")
    follow(
        page,
        f'#result_list a[href="/umfragen/{survey.pk}/ergebnisse/"]',
        rf"/umfragen/{survey.pk}/ergebnisse/$",
    )
    # Three member municipalities now (with Neustadt, approved this morning); one answered.
    expect(page.locator("main .lead")).to_contain_text("1 von 3 Kommunen haben geantwortet.")

    recorder.assert_local()


# --- Small journeys -------------------------------------------------------------------------


def test_member_logs_in_and_updates_the_profile(page, live_server):
    contact = MemberContactFactory(email="lena@kaiserslautern.example")

    log_in_by_keyboard(page, live_server, contact.email)
    page.wait_for_url(re.compile(r"/bereich/$"))
    follow(page, 'a[href="/bereich/profil/"]:not(.nav-link)', r"/bereich/profil/$")
    page.fill("#id_phone", "+49 631 365-1234")
    page.focus("#id_phone")
    page.keyboard.press("Enter")

    expect(page.locator(".alert-success")).to_be_visible()
    contact.refresh_from_db()
    assert contact.phone == "+49 631 365-1234"


def test_member_logs_out_with_the_button(page, live_server):
    log_in(page, live_server, MemberContactFactory().user)
    page.goto(live_server.url + "/bereich/")

    page.click("form[action='/konto/logout/'] button")

    page.goto(live_server.url + "/bereich/")
    assert "/konto/login/" in page.url
