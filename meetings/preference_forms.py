"""The participant's ranking of an event's workshops (``meetings.preference_views``)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class WishForm(forms.Form):
    """A rank (1 = first choice, empty = not wanted) per workshop and how many workshops."""

    wanted = forms.TypedChoiceField(label=_("How many workshops do you want?"), coerce=int)

    def __init__(self, *args, workshops, limit: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.workshops = list(workshops)
        self.fields["wanted"].choices = [(n, n) for n in range(1, limit + 1)]
        ranks = [("", _("not wanted"))] + [(n, n) for n in range(1, len(self.workshops) + 1)]
        for workshop in self.workshops:
            self.fields[f"rank_{workshop.pk}"] = forms.TypedChoiceField(
                label=workshop.title,
                choices=ranks,
                coerce=int,
                empty_value=None,
                required=False,
            )

    def rows(self):
        """(round, [(workshop, bound field), …]) in the order of the rounds."""
        rounds: dict[int, list] = {}
        for workshop in self.workshops:
            rounds.setdefault(workshop.round, []).append((workshop, self[f"rank_{workshop.pk}"]))
        return sorted(rounds.items())

    def clean(self):
        cleaned = super().clean()
        ranked = [
            (cleaned.get(f"rank_{w.pk}"), w)
            for w in self.workshops
            if cleaned.get(f"rank_{w.pk}") is not None
        ]
        ranks = [rank for rank, _w in ranked]
        if len(ranks) != len(set(ranks)):
            raise forms.ValidationError(_("Please give each rank only once."))
        cleaned["ranking"] = [w for _rank, w in sorted(ranked, key=lambda pair: pair[0])]
        return cleaned
