from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.forms.utils import ErrorDict
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from members.decorators import member_required
from members.permissions import contact_of, is_coordinator

from . import export, permissions, services
from .charts import chart_for
from .forms import AnswerForm, ResultFilterForm, apply_move, initial_for
from .models import Option, Question, Survey
from .results import compute, filter_choices
from .selectors import running_surveys_for


def _questions(survey):
    return list(
        survey.questions.order_by("position", "id").prefetch_related(
            Prefetch("options", queryset=Option.objects.order_by("position", "id"))
        )
    )


# --- Members --------------------------------------------------------------------------------


@member_required
def survey_list(request):
    contact = contact_of(request.user)
    running = running_surveys_for(contact)
    published = Survey.objects.results_visible_to_members().order_by("-closes_at")[:20]
    return render(
        request,
        "surveys/survey_list.html",
        {"running": running, "published": published, "contact": contact},
    )


@member_required
@require_http_methods(["GET", "POST"])
def answer(request, pk):
    contact = contact_of(request.user)
    survey = get_object_or_404(Survey.objects.opened(), pk=pk)
    if contact is None:
        raise PermissionDenied
    if not survey.is_addressed_to(contact.municipality):
        raise Http404
    questions = _questions(survey)
    response = services.response_for(survey=survey, contact=contact)
    now = timezone.now()
    is_open = survey.opens_at <= now < survey.closes_at
    context = {"survey": survey, "response": response, "is_open": is_open, "contact": contact}
    if response is not None and response.is_submitted:
        context["saved"] = _readable_answers(questions, services.answers_of(response=response))
        return render(request, "surveys/answer_done.html", context)

    if request.method == "GET":
        saved = services.answers_of(response=response)
        form = AnswerForm(
            survey=survey,
            questions=questions,
            initial={
                "version": response.version if response else 0,
                **initial_for(questions, saved),
            },
        )
        return render(request, "surveys/answer.html", {**context, "form": form})

    data = request.POST
    move = data.get("move", "")
    submitting = "submit" in data
    if move:
        # No JavaScript: re-render with one ranking item moved, keeping every typed answer.
        form = AnswerForm(apply_move(data, move), survey=survey, questions=questions)
        form.full_clean()
        form._errors = ErrorDict()  # moving is not saving: no error messages yet
        return render(request, "surveys/answer.html", {**context, "form": form})
    form = AnswerForm(data, survey=survey, questions=questions, submitting=submitting)
    if form.is_valid():
        try:
            services.save_response(
                survey=survey,
                contact=contact,
                answers=form.answers(),
                version=form.cleaned_data["version"],
                submit=submitting,
            )
        except services.SurveyError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
            if isinstance(error, services.ConcurrentEditError):
                context["conflict"] = True
                context["response"] = services.response_for(survey=survey, contact=contact)
                context["theirs"] = _readable_answers(
                    questions, services.answers_of(response=context["response"])
                )
        else:
            if submitting:
                messages.success(request, _("Thank you! Your answers have been submitted."))
            else:
                messages.success(request, _("Your answers have been saved as a draft."))
            return redirect("surveys:answer", pk=survey.pk)
    return render(request, "surveys/answer.html", {**context, "form": form}, status=200)


def _readable_answers(questions, saved: dict) -> list[tuple[Question, list[str]]]:
    rows = []
    for question in questions:
        value = saved.get(question.pk)
        names = {o.pk: o.text for o in question.options.all()}
        if value is None:
            shown = []
        elif question.kind == Question.Kind.SINGLE:
            shown = [names.get(value, "")]
        elif question.kind in (Question.Kind.MULTIPLE, Question.Kind.RANKING):
            shown = [names.get(v, "") for v in value]
        else:
            shown = [str(value)]
        rows.append((question, shown))
    return rows


# --- Results --------------------------------------------------------------------------------


def _results_survey(request, pk):
    survey = get_object_or_404(Survey, pk=pk)
    if not permissions.can_view_results(request.user, survey):
        if not request.user.is_authenticated:
            return None, redirect_to_login(request.get_full_path())
        if survey.opened_at is None:
            raise Http404
        raise PermissionDenied
    return survey, None


def _filtered(request, survey):
    kinds, districts = filter_choices(survey)
    form = ResultFilterForm(request.GET or None, kinds=kinds, districts=districts)
    values = form.values()
    free_texts = permissions.can_view_free_texts(request.user, survey)
    result = compute(survey, **values, free_texts=free_texts)
    smallest = settings.IKONE_SURVEY_MIN_GROUP
    if values and not is_coordinator(request.user) and 0 < result.submitted < smallest:
        # a filter must not narrow the aggregate down to one or two municipalities
        form.add_error(
            None,
            _(
                "Fewer than %(count)s responses match this filter. To protect the answers "
                "of single municipalities, the results of all responses are shown."
            )
            % {"count": smallest},
        )
        values = {}
        result = compute(survey, free_texts=free_texts)
    return form, values, result


def results(request, pk):
    survey, denied = _results_survey(request, pk)
    if denied:
        return denied
    form, values, result = _filtered(request, survey)
    for question in result.questions:
        question.chart = chart_for(question)
    query = request.GET.urlencode()
    return render(
        request,
        "surveys/results.html",
        {
            "survey": survey,
            "results": result,
            "filter": form,
            "querystring": query,
            "is_coordinator": is_coordinator(request.user),
        },
    )


def presentation(request, pk, number=1):
    survey, denied = _results_survey(request, pk)
    if denied:
        return denied
    _form, _values, result = _filtered(request, survey)
    total = len(result.questions)
    if not 1 <= number <= max(total, 1):
        raise Http404
    current = result.questions[number - 1] if total else None
    if current is not None:
        current.chart = chart_for(current)
    query = request.GET.urlencode()

    def link(n):
        url = reverse("surveys:presentation", kwargs={"pk": survey.pk, "number": n})
        return f"{url}?{query}" if query else url

    return render(
        request,
        "surveys/presentation.html",
        {
            "survey": survey,
            "results": result,
            "current": current,
            "number": number,
            "total": total,
            "previous_url": link(number - 1) if number > 1 else "",
            "next_url": link(number + 1) if number < total else "",
            "results_url": survey.get_results_url() + (f"?{query}" if query else ""),
        },
    )


def export_csv(request, pk):
    survey, denied = _results_survey(request, pk)
    if denied:
        return denied
    _form, _values, result = _filtered(request, survey)
    response = HttpResponse(
        export.to_csv(export.result_rows(result)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="umfrage-{survey.pk}-ergebnisse.csv"'
    return response


def export_xlsx(request, pk):
    survey, denied = _results_survey(request, pk)
    if denied:
        return denied
    _form, _values, result = _filtered(request, survey)
    sheets = [(_("Results"), export.result_rows(result))]
    if permissions.can_view_respondents(request.user, survey):
        sheets.append((_("Responses"), export.response_rows(survey)))
    response = HttpResponse(
        export.to_xlsx(sheets),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="umfrage-{survey.pk}-ergebnisse.xlsx"'
    return response


def published(request):
    """Public list of surveys whose results the coordination team published for everybody."""
    surveys = Survey.objects.results_public().order_by("-closes_at")
    return render(request, "surveys/published.html", {"surveys": surveys})
