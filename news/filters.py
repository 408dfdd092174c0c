import django_filters
from django import forms
from django.db import connection
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from members.models import Municipality, Topic

from .models import Post


def year_choices():
    years = (
        Post.objects.published()
        .annotate(year=ExtractYear("published_at"))
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )
    return [(year, str(year)) for year in years]


def search_posts(queryset, text: str):
    """German full-text search on PostgreSQL, a simple substring match elsewhere."""
    text = text.strip()
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = (
            SearchVector("title", weight="A", config="german")
            + SearchVector("teaser", weight="B", config="german")
            + SearchVector("body", weight="C", config="german")
        )
        query = SearchQuery(text, config="german", search_type="websearch")
        return (
            queryset.annotate(rank=SearchRank(vector, query))
            .filter(rank__gt=0)
            .order_by("-rank", "-published_at")
        )
    from django.db.models import Q

    return queryset.filter(
        Q(title__icontains=text) | Q(teaser__icontains=text) | Q(body__icontains=text)
    )


class PostFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    municipality = django_filters.ModelChoiceFilter(
        queryset=Municipality.objects.members(),
        field_name="municipality",
        to_field_name="slug",
        label=_("Municipality"),
        empty_label=_("All municipalities"),
    )
    topic = django_filters.ModelChoiceFilter(
        queryset=Topic.objects.filter(is_active=True),
        field_name="topics",
        to_field_name="slug",
        label=_("Topic"),
        empty_label=_("All topics"),
    )
    kind = django_filters.ChoiceFilter(
        choices=Post.Kind.choices, label=_("Kind"), empty_label=_("All kinds")
    )
    year = django_filters.ChoiceFilter(
        choices=year_choices,
        field_name="published_at",
        lookup_expr="year",
        label=_("Year"),
        empty_label=_("All years"),
    )

    class Meta:
        model = Post
        fields = ["q", "municipality", "topic", "kind", "year"]

    @property
    def form(self):
        """The filter form with Bootstrap's classes on every select."""
        form = super().form
        for field in form.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-select")
        return form

    def filter_q(self, queryset, name, value):
        return search_posts(queryset, value)
