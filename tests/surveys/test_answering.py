"""Members answer, save drafts, continue, submit; bad input gets a clear message."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from ikone.outbox.models import OutboundEmail
from surveys import services
from surveys.models import Question, Reminder, Response, Survey
from tests.concurrency import race
from tests.factories import MemberContactFactory, MunicipalityFactory
from tests.surveys.factories import SurveyFactory, option_ids, question_with_options

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey():
    survey = SurveyFactory()
    question_with_options(survey, Question.Kind.SINGLE, ["Ja", "Nein"], required=True)
    question_with_options(survey, Question.Kind.RANKING, ["A", "B", "C"])
    question_with_options(survey, Question.Kind.NUMBER, [], min_value=0, max_value=10)
    return survey


def _fields(survey):
    single, ranking, number = survey.questions.order_by("position")
    return single, ranking, number


def _post(client, survey, **extra):
    single, ranking, number = _fields(survey)
    data = {"version": "0", single.field_name: str(option_ids(single)[0])}
    data[ranking.field_name] = [str(i) for i in option_ids(ranking)]
    data[number.field_name] = "3"
    data.update(extra)
    return client.post(f"/bereich/umfragen/{survey.pk}/", data)


def test_a_second_contact_continues_the_municipalitys_draft(client, survey):
    first = MemberContactFactory()
    second = MemberContactFactory(municipality=first.municipality)
    client.force_login(first.user)
    _post(client, survey, save="1")
    client.force_login(second.user)
    page = client.get(f"/bereich/umfragen/{survey.pk}/").content.decode()
    assert 'value="1"' in page  # the draft's version
    assert "checked" in page
    assert Response.objects.get().status == Response.Status.DRAFT


def test_submitting_stores_one_response_and_thanks_the_member(client, survey):
    contact = MemberContactFactory()
    client.force_login(contact.user)
    response = _post(client, survey, submit="1")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Vielen Dank" in page or "Thank you" in page
    assert Response.objects.get().is_submitted


def test_the_second_saver_is_told_and_keeps_their_typed_answers(client, survey):
    contact = MemberContactFactory()
    _single, _ranking, number = _fields(survey)
    client.force_login(contact.user)
    _post(client, survey, save="1")  # version 0 -> 1
    page = _post(client, survey, save="1", **{number.field_name: "7"}).content.decode()
    assert "in the meantime" in page or "zwischenzeitlich" in page
    assert 'value="7"' in page
    assert Response.objects.get().version == 1


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (lambda ids: [ids[0], ids[0], ids[1]], "nur einmal"),
        (lambda ids: ids[:2], "fehlen"),
        (lambda ids: [ids[0], ids[1], 999999], "nicht zu dieser Frage"),
        (lambda ids: [ids[0], "abc", ids[1]], "keine der angebotenen"),
    ],
)
def test_a_tampered_ranking_is_rejected_with_a_translated_message(client, survey, values, message):
    contact = MemberContactFactory()
    _single, ranking, number = _fields(survey)
    client.force_login(contact.user)
    ids = option_ids(ranking)
    page = _post(
        client,
        survey,
        save="1",
        **{ranking.field_name: [str(v) for v in values(ids)], number.field_name: "4"},
    ).content.decode()
    assert message in page
    assert 'value="4"' in page
    assert not Response.objects.exists()


def test_a_tampered_choice_and_a_number_out_of_range_are_rejected(client, survey):
    contact = MemberContactFactory()
    single, _ranking, number = _fields(survey)
    client.force_login(contact.user)
    page = _post(
        client, survey, submit="1", **{single.field_name: "424242", number.field_name: "11"}
    ).content.decode()
    assert "keine der angebotenen" in page
    assert "höchstens 10" in page


def test_submitting_without_a_required_answer_is_refused(client, survey):
    contact = MemberContactFactory()
    single, _ranking, _number = _fields(survey)
    client.force_login(contact.user)
    page = _post(client, survey, submit="1", **{single.field_name: ""}).content.decode()
    assert "Bitte beantworten Sie diese Frage" in page
    assert not Response.objects.exists()


def test_move_down_without_javascript_reorders_and_keeps_answers(client, survey):
    contact = MemberContactFactory()
    _single, ranking, number = _fields(survey)
    a, b, c = option_ids(ranking)
    client.force_login(contact.user)
    page = _post(
        client, survey, move=f"{ranking.field_name}:{a}:down", **{number.field_name: "5"}
    ).content.decode()
    order = [page.index(f'value="{x}"', page.index("data-ranking")) for x in (b, a, c)]
    assert order == sorted(order)
    assert 'value="5"' in page
    assert not Response.objects.exists()


def test_submitting_twice_is_refused(survey):
    contact = MemberContactFactory()
    single, ranking, _number = _fields(survey)
    answers = {single.pk: option_ids(single)[0], ranking.pk: option_ids(ranking)}
    services.save_response(survey=survey, contact=contact, answers=answers, version=0, submit=True)
    with pytest.raises(services.SurveyError, match="bereits"):
        services.save_response(
            survey=survey, contact=contact, answers=answers, version=1, submit=True
        )


def test_a_closed_survey_cannot_be_answered(survey):
    survey.closes_at = timezone.now() - timedelta(minutes=1)
    survey.opens_at = survey.closes_at - timedelta(days=3)
    survey.save()
    with pytest.raises(services.SurveyError, match="geschlossen"):
        services.save_response(survey=survey, contact=MemberContactFactory(), answers={}, version=0)


def test_a_survey_for_chosen_municipalities_refuses_others(survey):
    survey.audience = Survey.Audience.CHOSEN
    survey.save()
    survey.municipalities.set([MunicipalityFactory()])
    with pytest.raises(services.SurveyError, match="nicht an Ihre Kommune"):
        services.save_response(survey=survey, contact=MemberContactFactory(), answers={}, version=0)


def test_opening_invites_active_contacts_of_the_audience_once(django_capture_on_commit_callbacks):
    survey = SurveyFactory(opened_at=None)
    question_with_options(survey, Question.Kind.TEXT, [])
    contacts = [MemberContactFactory(), MemberContactFactory()]
    MemberContactFactory(is_active=False)
    with django_capture_on_commit_callbacks(execute=False):
        services.open_survey(survey=survey)
    assert sorted(OutboundEmail.objects.values_list("to", flat=True)) == sorted(
        c.email for c in contacts
    )
    with pytest.raises(services.SurveyError):
        services.open_survey(survey=survey)


def test_reminders_go_once_to_municipalities_without_a_submitted_response(
    django_capture_on_commit_callbacks,
):
    survey = SurveyFactory(closes_at=timezone.now() + timedelta(days=3), reminder_days=7)
    question = question_with_options(survey, Question.Kind.TEXT, [])
    done, late = MemberContactFactory(), MemberContactFactory()
    services.save_response(
        survey=survey, contact=done, answers={question.pk: "fertig"}, version=0, submit=True
    )
    with django_capture_on_commit_callbacks(execute=False):
        assert services.send_due_reminders() == 1
        assert services.send_due_reminders() == 0
    assert list(Reminder.objects.values_list("municipality", flat=True)) == [late.municipality_id]
    assert list(OutboundEmail.objects.values_list("to", flat=True)) == [late.email]


def test_copying_a_survey_copies_questions_and_options_unopened(survey):
    copy = services.copy_survey(survey=survey)
    assert copy.opened_at is None
    assert copy.questions.count() == 3
    assert [o.text for o in copy.questions.get(kind="ranking").options.all()] == ["A", "B", "C"]


def test_a_copy_of_an_old_survey_opens_in_the_year_ahead_not_in_the_past():
    tz = timezone.get_current_timezone()
    old = SurveyFactory(
        opens_at=datetime(2023, 2, 1, 9, 0, tzinfo=tz),
        closes_at=datetime(2023, 3, 1, 18, 0, tzinfo=tz),
    )
    now = datetime(2026, 12, 1, 12, 0, tzinfo=tz)
    opens_at, closes_at = services.copy_dates(survey=old, now=now)
    assert timezone.localtime(opens_at) == datetime(2027, 2, 1, 9, 0, tzinfo=tz)
    assert timezone.localtime(closes_at) == datetime(2027, 3, 1, 18, 0, tzinfo=tz)

    copy = services.copy_survey(survey=old)
    assert copy.opens_at > timezone.now()
    assert copy.closes_at - copy.opens_at == old.closes_at - old.opens_at


def test_a_copy_of_last_years_survey_keeps_its_date_one_year_later():
    tz = timezone.get_current_timezone()
    last = SurveyFactory(
        opens_at=datetime(2026, 2, 28, 9, 0, tzinfo=tz),
        closes_at=datetime(2026, 3, 20, 18, 0, tzinfo=tz),
    )
    opens_at, _closes = services.copy_dates(survey=last, now=datetime(2026, 12, 1, tzinfo=tz))
    assert timezone.localtime(opens_at).date().isoformat() == "2027-02-28"
    leap = SurveyFactory(
        opens_at=datetime(2024, 2, 29, 9, 0, tzinfo=tz),
        closes_at=datetime(2024, 3, 20, 18, 0, tzinfo=tz),
    )
    opens_at, _closes = services.copy_dates(survey=leap, now=datetime(2024, 6, 1, tzinfo=tz))
    assert timezone.localtime(opens_at).date().isoformat() == "2025-02-28"


def test_a_new_ranking_question_copies_the_active_topics(network_topics):
    survey = SurveyFactory()
    question = Question.objects.create(survey=survey, kind=Question.Kind.RANKING, text="Themen?")
    services.fill_topic_options(question=question)
    assert question.options.count() == 11
    assert question.options.first().topic is not None


@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_keep_one_response_per_municipality(postgres):
    survey = SurveyFactory()
    question = question_with_options(survey, Question.Kind.TEXT, [])
    first = MemberContactFactory()
    others = [MemberContactFactory(municipality=first.municipality) for _ in range(3)]
    outcomes = race(
        [
            (
                lambda contact=contact: services.save_response(
                    survey=survey,
                    contact=contact,
                    answers={question.pk: "x"},
                    version=0,
                    submit=True,
                )
            )
            for contact in [first, *others]
        ],
        refused=services.SurveyError,
    )

    assert sorted(kind for kind, _detail in outcomes) == ["ok", "refused", "refused", "refused"]
    assert Response.objects.filter(survey=survey).count() == 1


def test_the_reminder_task_is_scheduled_and_calls_the_service(settings):
    from surveys.tasks import send_survey_reminders

    assert settings.CELERY_BEAT_SCHEDULE["surveys-reminders"]["task"] == send_survey_reminders.name
    survey = SurveyFactory(closes_at=timezone.now() + timedelta(days=1), reminder_days=2)
    question_with_options(survey, Question.Kind.TEXT, [])
    MemberContactFactory()
    assert send_survey_reminders.delay() is not None
    assert Reminder.objects.filter(survey=survey).count() == 1


def test_in_per_contact_mode_each_contact_has_their_own_response():
    survey = SurveyFactory(respondent=Survey.Respondent.CONTACT)
    question = question_with_options(survey, Question.Kind.TEXT, [])
    first = MemberContactFactory()
    second = MemberContactFactory(municipality=first.municipality)
    for contact in (first, second):
        services.save_response(
            survey=survey, contact=contact, answers={question.pk: "x"}, version=0, submit=True
        )
    assert Response.objects.filter(survey=survey, municipality=first.municipality).count() == 2
