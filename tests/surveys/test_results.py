"""Aggregation checked against hand-computed examples."""

import pytest

from members.models import Municipality
from surveys import services
from surveys.models import Question
from surveys.results import borda, compute
from tests.factories import MemberContactFactory, MunicipalityFactory
from tests.surveys.factories import SurveyFactory, option_ids, question_with_options

pytestmark = pytest.mark.django_db


def test_borda_scores_n_minus_rank_points_with_mean_rank_and_first_places():
    # 3 options, 3 rankings: A>B>C, A>C>B, B>A>C
    counts = {"A": {1: 2, 2: 1}, "B": {1: 1, 2: 1, 3: 1}, "C": {2: 1, 3: 2}}
    scores = borda(counts, 3)
    assert scores["A"] == (2 * 2 + 1 * 1, round(4 / 3, 2), 2, 3)  # 5 points
    assert scores["B"] == (2 + 1 + 0, 2.0, 1, 3)  # 3 points
    assert scores["C"] == (1, round(8 / 3, 2), 0, 3)  # 1 point


def _answer(survey, municipality, answers):
    contact = MemberContactFactory(municipality=municipality)
    return services.save_response(
        survey=survey, contact=contact, answers=answers, version=0, submit=True
    )


def test_results_give_counts_percentages_and_ranking_as_computed_by_hand():
    survey = SurveyFactory()
    single = question_with_options(survey, Question.Kind.SINGLE, ["Ja", "Nein"])
    multi = question_with_options(survey, Question.Kind.MULTIPLE, ["E-Akte", "Portal", "Sensor"])
    rank = question_with_options(survey, Question.Kind.RANKING, ["A", "B", "C"])
    yes, no = option_ids(single)
    akte, portal, sensor = option_ids(multi)
    a, b, c = option_ids(rank)
    towns = [MunicipalityFactory() for _ in range(4)]
    _answer(survey, towns[0], {single.pk: yes, multi.pk: [akte, portal], rank.pk: [a, b, c]})
    _answer(survey, towns[1], {single.pk: yes, multi.pk: [akte], rank.pk: [a, c, b]})
    _answer(survey, towns[2], {single.pk: no, multi.pk: [], rank.pk: [b, a, c]})

    results = compute(survey)

    assert (results.municipalities_answered, results.audience_size) == (3, 4)
    single_result, multi_result, rank_result = results.questions
    assert [(bar.label, bar.count, bar.percent) for bar in single_result.bars] == [
        ("Ja", 2, 66.7),
        ("Nein", 1, 33.3),
    ]
    # two municipalities answered the multiple choice: shares of those two
    assert [(bar.count, bar.percent) for bar in multi_result.bars] == [
        (2, 100.0),
        (1, 50.0),
        (0, 0.0),
    ]
    assert [(r.label, r.points, r.first_places) for r in rank_result.ranking] == [
        ("A", 5, 2),
        ("B", 3, 1),
        ("C", 1, 0),
    ]


def test_results_filter_by_kind_of_municipality():
    survey = SurveyFactory()
    single = question_with_options(survey, Question.Kind.SINGLE, ["Ja", "Nein"])
    yes, no = option_ids(single)
    city = MunicipalityFactory(kind=Municipality.Kind.INDEPENDENT_CITY)
    _answer(survey, city, {single.pk: yes})
    _answer(survey, MunicipalityFactory(), {single.pk: no})

    results = compute(survey, kind=Municipality.Kind.INDEPENDENT_CITY)

    assert (results.municipalities_answered, results.audience_size) == (1, 1)
    assert [bar.count for bar in results.questions[0].bars] == [1, 0]


def test_results_need_the_same_few_queries_for_more_responses_and_questions(
    django_assert_max_num_queries,
):
    survey = SurveyFactory()
    questions = [
        question_with_options(survey, Question.Kind.SINGLE, ["Ja", "Nein"]) for _ in range(6)
    ]
    for _ in range(6):
        _answer(survey, MunicipalityFactory(), {q.pk: option_ids(q)[0] for q in questions})
    # the ninth query asks whether the survey kept a record of its invited audience
    with django_assert_max_num_queries(9):
        compute(survey)


def test_free_text_answers_are_named_only_when_not_anonymous():
    survey = SurveyFactory(anonymous=True)
    text = question_with_options(survey, Question.Kind.TEXT, [])
    _answer(survey, MunicipalityFactory(name="Worms"), {text.pk: "Mehr Austausch"})
    assert compute(survey).questions[0].texts == [("", "Mehr Austausch")]
    survey.anonymous = False
    survey.save()
    assert compute(survey).questions[0].texts == [("Worms", "Mehr Austausch")]


def test_rating_scale_gives_counts_per_value_and_the_mean():
    survey = SurveyFactory()
    rating = question_with_options(
        survey, Question.Kind.RATING, [], min_value=1, max_value=4, max_label="sehr gut"
    )
    for value in (1, 4, 4, 3):
        _answer(survey, MunicipalityFactory(), {rating.pk: value})
    result = compute(survey).questions[0]
    assert [(bar.label, bar.count, bar.percent) for bar in result.bars] == [
        ("1", 1, 25.0),
        ("2", 0, 0.0),
        ("3", 1, 25.0),
        ("4 – sehr gut", 2, 50.0),
    ]
    assert result.mean == 3.0


@pytest.fixture
def published_by_kind():
    """Results for members: one independent city and three towns answered."""
    from surveys.models import Survey

    survey = SurveyFactory(results_visibility=Survey.Visibility.MEMBERS)
    single = question_with_options(survey, Question.Kind.SINGLE, ["Ja", "Nein"])
    yes, no = option_ids(single)
    _answer(survey, MunicipalityFactory(kind=Municipality.Kind.INDEPENDENT_CITY), {single.pk: yes})
    for _ in range(3):
        _answer(survey, MunicipalityFactory(kind=Municipality.Kind.TOWN), {single.pk: no})
    return survey


def _results_page(client, survey, user, kind):
    from django.urls import reverse

    client.force_login(user)
    response = client.get(
        reverse("surveys:results", args=[survey.pk]), {"kind": kind}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    return response


def test_members_cannot_filter_results_down_to_a_single_municipality(client, published_by_kind):
    member = MemberContactFactory().user

    response = _results_page(client, published_by_kind, member, Municipality.Kind.INDEPENDENT_CITY)

    assert response.context["results"].submitted == 4  # all responses instead of the one city
    assert "Fewer than 3 responses match this filter" in response.content.decode()


def test_members_filter_results_to_groups_large_enough(client, published_by_kind):
    member = MemberContactFactory().user

    response = _results_page(client, published_by_kind, member, Municipality.Kind.TOWN)

    assert response.context["results"].submitted == 3
    assert "Fewer than" not in response.content.decode()


def test_coordinators_filter_results_down_to_any_group(client, published_by_kind):
    from tests.factories import CoordinatorFactory

    response = _results_page(
        client, published_by_kind, CoordinatorFactory(), Municipality.Kind.INDEPENDENT_CITY
    )

    assert response.context["results"].submitted == 1


def test_the_response_rate_counts_against_the_audience_invited_at_opening(
    django_capture_on_commit_callbacks,
):
    from surveys import services

    early = [MunicipalityFactory(district="Mainz-Bingen") for _ in range(3)]
    survey = SurveyFactory(opened_at=None)
    question = question_with_options(survey, Question.Kind.SINGLE, ["Ja", "Nein"])
    for municipality in early:
        MemberContactFactory(municipality=municipality)
    with django_capture_on_commit_callbacks(execute=False):
        survey = services.open_survey(survey=survey)
    _answer(survey, early[0], {question.pk: option_ids(question)[0]})
    later = [MunicipalityFactory(district="Mainz-Bingen") for _ in range(5)]  # joined since

    results = compute(survey)
    assert (results.municipalities_answered, results.audience_size) == (1, 3)
    # one that joined while the survey ran and answered counts in the base too
    _answer(survey, later[0], {question.pk: option_ids(question)[1]})
    assert (compute(survey).municipalities_answered, compute(survey).audience_size) == (2, 4)
    assert compute(survey, district="Mainz-Bingen").audience_size == 4


def test_the_district_filter_lists_each_district_once():
    from surveys.results import filter_choices

    survey = SurveyFactory()
    for district in ["Mainz-Bingen", "Mainz-Bingen", "Alzey-Worms", "Mainz-Bingen", ""]:
        MunicipalityFactory(district=district)
    _kinds, districts = filter_choices(survey)
    assert districts == ["Alzey-Worms", "Mainz-Bingen"]
