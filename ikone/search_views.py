"""``/suche/``: one search across projects, news, meetings, agenda items, minutes, circulars.

Thin: the form checks the input, ``ikone.search_query.find`` asks the index with the user's
visibility (each app's source decides what the user may see), the page shows ranked hits with
highlighted snippets, tabs per kind and filters by topic, municipality and year.
"""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.shortcuts import render
from django.utils import dateformat, timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from members.models import Municipality, Topic
from members.permissions import is_coordinator, is_member

from . import search
from .search_query import MAX_QUERY_LENGTH, find

PAGE_SIZE = 20
FIRST_YEAR = 2015


def _year_choices():
    years = range(timezone.localdate().year + 1, FIRST_YEAR - 1, -1)
    return [("", _("All years"))] + [(str(year), str(year)) for year in years]


class _Listed(ModelChoiceIterator):
    """The choices in one plain query: ``ModelChoiceIterator`` reads them through a server-side
    cursor, which outside a transaction is ``DECLARE … WITH HOLD`` (materialised at commit,
    three round trips) — for 30 municipalities, on every search page."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in list(self.queryset):
            yield self.choice(obj)


class _Select(forms.Select):
    """Django's ``<select>``, written here: its template per option took about 15 ms a page for
    the four filters (some 60 options). The same markup, every value and label escaped."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        chosen = set(self.format_value(value))
        options = []
        for option, label in self.choices:
            option = str(option)
            selected = " selected" if option in chosen else ""
            chosen.discard(option)  # one selected option, as Django's
            options.append(f'<option value="{escape(option)}"{selected}>{escape(label)}</option>')
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(  # noqa: S308 -- every value and label escaped above
            f'<select name="{escape(name)}"{attributes}>{"".join(options)}</select>'
        )


class _ChoiceField(forms.ModelChoiceField):
    iterator = _Listed
    widget = _Select


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search for"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        error_messages={
            "max_length": _(
                "Please search with at most %(limit_value)d characters (you typed %(show_value)d)."
            )
        },
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, widget=_Select)
    topic = _ChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.filter(is_active=True).only("pk", "slug", "name"),
        to_field_name="slug",
        required=False,
        empty_label=_("All topics"),
    )
    municipality = _ChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.members().only("pk", "slug", "name"),
        to_field_name="slug",
        required=False,
        empty_label=_("All municipalities"),
    )
    year = forms.TypedChoiceField(
        label=_("Year"), coerce=int, empty_value=None, required=False, widget=_Select
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Everything"))] + [
            (source.kind, source.label) for source in search.sources()
        ]
        self.fields["year"].choices = _year_choices()
        for name in ("kind", "topic", "municipality", "year"):
            self.fields[name].widget.attrs["class"] = "form-select"
        self.fields["q"].widget.attrs.update({"class": "form-control", "type": "search"})

    def clean_q(self) -> str:
        text = " ".join(self.cleaned_data["q"].split())
        if self.data.get("q", "").strip() and not any(ch.isalnum() for ch in text):
            raise forms.ValidationError(_("Please search for at least one letter or digit."))
        return text


def hit_items(hits) -> SafeString:
    """The hits as the list's items, written here (the template's loop with two date filters
    per hit took 5-10 ms for a page of 20): the same markup, everything escaped but the
    marked title and snippet (``search_query.marked``, escaped there)."""
    items = []
    for hit in hits:
        when = ""
        if hit.date:
            local = timezone.localtime(hit.date)
            when = (
                f' <time datetime="{escape(local.isoformat())}">'
                f"{escape(dateformat.format(local, 'j. F Y'))}</time>"
            )
        snippet = f'<p class="mb-0 search-snippet">{hit.snippet}</p>' if hit.snippet else ""
        items.append(
            f'<li class="search-hit mb-3 pb-3 border-bottom" data-testid="search-hit"'
            f' data-kind="{escape(hit.kind)}">'
            f'<p class="small text-body-secondary mb-1"><span class="badge text-bg-light border">'
            f"{escape(hit.label)}</span>{when}</p>"
            f'<h2 class="h5 mb-1"><a href="{escape(hit.url)}">{hit.title}</a></h2>{snippet}</li>'
        )
    return mark_safe("".join(items))  # noqa: S308 -- escaped above, title and snippet by marked()


def audiences_of(user) -> set[str]:
    """Whom the user counts as for the search: everybody, a member, the coordination team."""
    if is_coordinator(user):
        return {search.PUBLIC, search.MEMBERS, search.STAFF}
    if is_member(user):
        return {search.PUBLIC, search.MEMBERS}
    return {search.PUBLIC}


def _querystring(data, *, without=()) -> str:
    params = data.copy()
    for key in ("page", *without):
        params.pop(key, None)
    return params.urlencode()


@require_GET
def search_page(request):
    form = SearchForm(request.GET or None)
    context = {"form": form, "searched": False, "tabs": [], "hits": [], "page": None}
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    elif form.is_bound and form.cleaned_data["q"]:
        data = form.cleaned_data
        kind = data["kind"]
        results = find(
            text=data["q"],
            user=request.user,
            audiences=audiences_of(request.user),
            kinds=[kind] if kind else None,
            topic=data["topic"],
            municipality=data["municipality"],
            year=data["year"],
            page=request.GET.get("page"),
            per_page=PAGE_SIZE,
        )
        page = Paginator(results.documents, PAGE_SIZE).get_page(request.GET.get("page"))
        hits = results.hits(page.object_list)
        everything = _querystring(request.GET, without=("kind",))
        counts = results.counts
        tabs = [{"kind": "", "label": _("Everything"), "count": sum(counts.values())}]
        tabs += [
            {"kind": source.kind, "label": source.label, "count": counts.get(source.kind, 0)}
            for source in search.sources()
        ]
        context.update(
            searched=True,
            query=data["q"],
            kind=kind,
            total=results.total,
            tabs=tabs,
            tab_query=everything,
            page=page,
            hits=hits,
            hit_items=hit_items(hits),
            querystring=_querystring(request.GET),
        )
    return render(request, "search/results.html", context, status=status)
