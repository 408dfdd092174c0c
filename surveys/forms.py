"""The answer form, built from a survey's questions; a filter form for results."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Question

INVALID_OPTION = _("This is not one of the offered options; please choose again.")


class RankingWidget(forms.Widget):
    """An ordered list of options; each carries a hidden input, so the POST order is the rank."""

    template_name = "surveys/widgets/ranking.html"

    def __init__(self, *args, options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.options = list(options)

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name)

    def format_value(self, value):
        return [str(v) for v in value] if value else []

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        by_id = {str(o.pk): o for o in self.options}
        order = [v for v in self.format_value(value) if v in by_id]
        order = list(dict.fromkeys(order))
        order += [str(o.pk) for o in self.options if str(o.pk) not in order]
        context["widget"]["items"] = [
            {"id": key, "text": by_id[key].text, "rank": index}
            for index, key in enumerate(order, start=1)
        ]
        context["widget"]["count"] = len(order)
        return context


class RankingField(forms.Field):
    widget = RankingWidget
    default_error_messages = {
        "invalid_choice": INVALID_OPTION,
        "duplicate": _("Each option may appear only once in the ranking."),
        "missing": _("Please rank all options; some are missing."),
        "foreign": _("The ranking contains an option that does not belong to this question."),
    }

    def __init__(self, *, options, **kwargs):
        self.option_ids = [o.pk for o in options]
        super().__init__(widget=RankingWidget(options=options), **kwargs)

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        try:
            return [int(v) for v in value]
        except (TypeError, ValueError):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None

    def validate(self, value):
        super().validate(value)
        if not value:
            return
        if len(set(value)) != len(value):
            raise forms.ValidationError(self.error_messages["duplicate"], code="duplicate")
        if set(value) - set(self.option_ids):
            raise forms.ValidationError(self.error_messages["foreign"], code="foreign")
        if set(self.option_ids) - set(value):
            raise forms.ValidationError(self.error_messages["missing"], code="missing")


class AnswerForm(forms.Form):
    """One field per question; ``required`` is checked only when submitting."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, survey, questions, submitting=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.questions = questions
        self.submitting = submitting
        for question in questions:
            field = self._field_for(question)
            field.required = bool(submitting and question.required)
            field.label = question.text
            field.help_text = question.help_text
            field.question = question
            self.fields[question.field_name] = field

    def _field_for(self, question: Question) -> forms.Field:
        kind = question.kind
        options = list(question.options.all())
        choices = [(str(o.pk), o.text) for o in options]
        messages = {"invalid_choice": INVALID_OPTION, "required": _("Please answer this question.")}
        if kind == Question.Kind.SINGLE:
            return forms.TypedChoiceField(
                choices=choices,
                coerce=int,
                empty_value=None,
                widget=forms.RadioSelect,
                error_messages=messages,
            )
        if kind == Question.Kind.MULTIPLE:
            return forms.TypedMultipleChoiceField(
                choices=choices,
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
                error_messages=messages,
            )
        if kind == Question.Kind.RATING:
            scale = question.scale
            labels = {scale[0]: question.min_label, scale[-1]: question.max_label} if scale else {}
            return forms.TypedChoiceField(
                choices=[
                    (str(v), f"{v} – {labels[v]}" if labels.get(v) else str(v)) for v in scale
                ],
                coerce=int,
                empty_value=None,
                widget=forms.RadioSelect(attrs={"class": "rating"}),
                error_messages=messages,
            )
        if kind == Question.Kind.NUMBER:
            return forms.IntegerField(
                min_value=question.min_value,
                max_value=question.max_value,
                error_messages={
                    **messages,
                    "invalid": _("Please enter a whole number."),
                    "min_value": _("Please enter a number of at least %(limit_value)s."),
                    "max_value": _("Please enter a number of at most %(limit_value)s."),
                },
            )
        if kind == Question.Kind.RANKING:
            return RankingField(options=options, error_messages=messages)
        return forms.CharField(
            widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, error_messages=messages
        )

    def answers(self) -> dict:
        return {q.pk: self.cleaned_data.get(q.field_name) for q in self.questions}

    def question_fields(self):
        return [self[q.field_name] for q in self.questions]


def initial_for(questions, saved: dict) -> dict:
    return {q.field_name: saved[q.pk] for q in questions if q.pk in saved}


def apply_move(data, move: str):
    """Move-up/move-down without JavaScript: reorder one ranking in a copy of the POST data.

    ``move`` is ``q<question id>:<option id>:up|down``; anything else leaves the data alone.
    """
    data = data.copy()
    try:
        name, option_id, direction = move.split(":")
    except ValueError:
        return data
    order = data.getlist(name)
    if option_id not in order or direction not in ("up", "down"):
        return data
    index = order.index(option_id)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(order):
        order[index], order[target] = order[target], order[index]
    data.setlist(name, order)
    return data


class ResultFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of municipality"), required=False)
    district = forms.ChoiceField(label=_("District"), required=False)

    def __init__(self, *args, kinds=(), districts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("all kinds"))] + list(kinds)
        self.fields["district"].choices = [("", _("all districts"))] + [(d, d) for d in districts]

    def values(self) -> dict:
        if self.is_valid():
            return {k: v for k, v in self.cleaned_data.items() if v}
        return {}
