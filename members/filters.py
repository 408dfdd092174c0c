import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Contact, Municipality, Topic


def _districts():
    values = (
        Municipality.objects.members()
        .exclude(district="")
        .order_by("district")
        .values_list("district", flat=True)
        .distinct()
    )
    return [(value, value) for value in values]


class ContactFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    municipality = django_filters.ModelChoiceFilter(
        queryset=Municipality.objects.members(), label=_("Municipality")
    )
    district = django_filters.ChoiceFilter(
        field_name="municipality__district", choices=_districts, label=_("District")
    )
    topic = django_filters.ModelChoiceFilter(
        field_name="topics",
        queryset=Topic.objects.filter(is_active=True),
        label=_("Topic of interest"),
    )

    class Meta:
        model = Contact
        fields = ["q", "municipality", "district", "topic"]

    def search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(position__icontains=word)
                | Q(municipality__name__icontains=word)
                | Q(email__icontains=word)
            )
        return queryset
