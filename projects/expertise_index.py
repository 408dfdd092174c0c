"""The evidence of *Wen fragen?*, kept ready in one table (:class:`~projects.models.ExpertiseItem`).

Asking must not add up thousands of roles, talks and posts from their own tables each time
(with 5,000 profiles that took a tenth of a second and more). Instead each kind of evidence
is an :class:`IndexSource` an app registers in its ``AppConfig.ready()`` — this app its
profile roles and confirmed reuse, ``meetings`` its talks, ``news`` its posts: which records
of which model are evidence for whom (``items``), which records may name a given contact
person (``records_of``) and how an item is worded as a reason (``reasons``, per kind, at
asking time and in the asker's language). Saving or deleting such a record (or changing the
many-to-many fields and related records the source names) rebuilds that record's rows at
once — the admin and the services write these models alike; saving a contact person rebuilds
every row that may name them. :func:`rebuild` recreates the whole table (``manage.py
rebuild_expertise_index``, and nightly, for writes that bypass signals such as
``QuerySet.update``).

Whether a person agreed to be asked, and their monthly cap, are never stored here: they are
read when asking (``projects.expertise``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from members.models import Contact

from .models import ExpertiseItem

BATCH = 500
HALF_LIFE_DAYS = 2 * 365  # recency halves every two years
EPOCH = dt.date(2000, 1, 1)


def strength(weight: float, when: dt.date | None, *, today: dt.date) -> float:
    """What ``ExpertiseItem.strength`` holds: ``weight * 2 ** (days since EPOCH / half-life)``.

    Times :func:`today_factor` it is ``weight * 0.5 ** (age / half-life)``, the recency of
    ``projects.expertise``. A date after the day of indexing counts as that day (recency
    never exceeds 1), an item without a date as half-life old on that day (0.5): both exact
    on that day and decaying from there until the nightly rebuild.
    """
    if when is None:
        when = today - dt.timedelta(days=HALF_LIFE_DAYS)
    when = min(when, today)
    return weight * 2.0 ** ((when - EPOCH).days / HALF_LIFE_DAYS)


def today_factor(today: dt.date) -> float:
    return 0.5 ** ((today - EPOCH).days / HALF_LIFE_DAYS)


@dataclass(frozen=True)
class Item:
    """One row a source gives for one of its records."""

    contact_id: int
    kind: str
    object_id: int
    weight: float
    when: dt.date | None
    topic_ids: tuple[int, ...]
    project_id: int | None = None
    counts_from: dt.datetime | None = None


@dataclass
class IndexSource:
    """One kind of evidence, contributed by the app that owns the records.

    ``items(records)`` turns a queryset of ``model`` into :class:`Item` rows (a record that is
    no evidence, e.g. an unpublished post, gives none); ``records_of(contact_ids)`` returns
    the records whose rows may name those contact persons (a speaker's name, an author, a
    named contact); ``reasons`` maps each item kind to a function from object ids to their
    worded reasons. ``depends_on`` maps another model to the ids of this source's records
    whose rows change with it (the talks of a meeting); ``m2m`` maps a many-to-many
    ``through`` model to the ids of this source's records for the ids of the model that
    declares the field (the profile's topics for its reuse).
    """

    name: str
    model: type[Model]
    items: Callable[[QuerySet], Iterable[Item]]
    records_of: Callable[[list[int]], QuerySet]
    reasons: dict[str, Callable[[list[int]], dict[int, str]]]
    depends_on: dict[type[Model], Callable[[Model], Iterable[int]]] = field(default_factory=dict)
    m2m: dict[type[Model], Callable[[set[int]], Iterable[int]]] = field(default_factory=dict)

    def records(self) -> QuerySet:
        return self.model._default_manager.all()


_sources: dict[str, IndexSource] = {}


def register(source: IndexSource) -> IndexSource:
    """Add a source (from an ``AppConfig.ready()``) and keep its rows up to date; registering
    it again (tests that reload the apps) replaces it."""
    _sources[source.name] = source
    uid = f"projects.expertise_index:{source.name}"
    post_save.connect(_saved(source), sender=source.model, weak=False, dispatch_uid=uid)
    post_delete.connect(_deleted(source), sender=source.model, weak=False, dispatch_uid=uid)
    for model, ids_of in source.depends_on.items():
        post_save.connect(
            _dependent_saved(source, ids_of),
            sender=model,
            weak=False,
            dispatch_uid=f"{uid}:{model._meta.label}",
        )
    for through, ids_of in source.m2m.items():
        m2m_changed.connect(
            _m2m_changed(source, through, ids_of),
            sender=through,
            weak=False,
            dispatch_uid=f"{uid}:m2m:{through._meta.label}",
        )
    post_save.connect(_contact_saved, sender=Contact, weak=False, dispatch_uid=f"{__name__}:c")
    return source


def sources() -> list[IndexSource]:
    return list(_sources.values())


def reason_functions() -> dict[str, Callable[[list[int]], dict[int, str]]]:
    """Item kind → the function that words its reasons."""
    found = {}
    for source in _sources.values():
        found.update(source.reasons)
    return found


def kinds() -> set[str]:
    return set(reason_functions())


# --- keeping the rows current ----------------------------------------------------------------


def reindex(source: IndexSource, ids: Iterable[int]) -> None:
    """Rebuild the rows of these records of ``source`` (gone records lose theirs)."""
    ids = sorted(set(ids))
    if not ids:
        return
    with transaction.atomic():
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            ExpertiseItem.objects.filter(source=source.name, object_id__in=chunk).delete()
            _store(source, source.items(source.records().filter(pk__in=chunk)))


def reindex_contacts(contact_ids: Iterable[int]) -> None:
    """Rebuild every row that names these contact persons or, after a change of name or
    municipality, may name them now."""
    contact_ids = sorted(set(contact_ids))
    if not contact_ids:
        return
    for source in _sources.values():
        named = ExpertiseItem.objects.filter(source=source.name, contact_id__in=contact_ids)
        ids = set(named.values_list("object_id", flat=True))
        ids |= set(source.records_of(contact_ids).values_list("pk", flat=True))
        reindex(source, ids)


def rebuild() -> int:
    """Recreate the whole table from the sources' records; the number of rows."""
    with transaction.atomic():
        with connection.cursor() as cursor:  # no row is loaded to delete it
            for model in (ExpertiseItem.topics.through, ExpertiseItem):
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (our own table's name)
        for source in _sources.values():
            ids = list(source.records().order_by("pk").values_list("pk", flat=True))
            for start in range(0, len(ids), BATCH):
                chunk = ids[start : start + BATCH]
                _store(source, source.items(source.records().filter(pk__in=chunk)))
    return ExpertiseItem.objects.count()


def _store(source: IndexSource, items: Iterable[Item]) -> None:
    items = list(items)
    if not items:
        return
    today = timezone.localdate()
    rows = ExpertiseItem.objects.bulk_create(
        ExpertiseItem(
            source=source.name,
            kind=item.kind,
            object_id=item.object_id,
            contact_id=item.contact_id,
            project_id=item.project_id,
            weight=item.weight,
            when=item.when,
            strength=strength(item.weight, item.when, today=today),
            counts_from=item.counts_from,
        )
        for item in items
    )
    through = ExpertiseItem.topics.through
    through.objects.bulk_create(
        through(expertiseitem_id=row.pk, topic_id=topic_id)
        for row, item in zip(rows, items, strict=True)
        for topic_id in set(item.topic_ids)
    )


def _saved(source: IndexSource):
    def receiver(sender, instance, raw=False, **kwargs):
        if not raw:
            reindex(source, [instance.pk])

    return receiver


def _deleted(source: IndexSource):
    def receiver(sender, instance, **kwargs):
        ExpertiseItem.objects.filter(source=source.name, object_id=instance.pk).delete()

    return receiver


def _dependent_saved(source: IndexSource, ids_of):
    def receiver(sender, instance, raw=False, **kwargs):
        if not raw:
            reindex(source, ids_of(instance))

    return receiver


def _m2m_changed(source: IndexSource, through: type[Model], ids_of):
    """The field's owners are the instance (forward) or ``pk_set`` (from the other side); a
    cleared reverse side is remembered before it is cleared."""
    owner_field = None

    def owners_of_reverse_clear(instance) -> set[int]:
        nonlocal owner_field
        if owner_field is None:
            owner_field = _owner_column(through, type(instance))
        column, other = owner_field
        return set(through.objects.filter(**{other: instance.pk}).values_list(column, flat=True))

    def receiver(sender, instance, action, reverse, pk_set, **kwargs):
        if action == "pre_clear" and reverse:
            instance._expertise_cleared = owners_of_reverse_clear(instance)
            return
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        if not reverse:
            owners = {instance.pk}
        elif action == "post_clear":
            owners = getattr(instance, "_expertise_cleared", set())
        else:
            owners = set(pk_set or ())
        if owners:
            reindex(source, ids_of(owners))

    return receiver


def _owner_column(through: type[Model], other_model: type[Model]) -> tuple[str, str]:
    """(column of the declaring model, column of ``other_model``) in an auto-created through."""
    columns = [f for f in through._meta.get_fields() if f.many_to_one]
    other = next(f for f in columns if f.related_model is other_model)
    owner = next(f for f in columns if f is not other)
    return owner.attname, other.attname


# what the sources match a contact person by: a speaker's name and municipality, an author
_CONTACT_FIELDS = {"first_name", "last_name", "municipality", "municipality_id", "user", "user_id"}


def _contact_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    """Rebuild the person's rows, unless the save named only fields no source reads (mail
    preferences, invitation dates …)."""
    if raw or (update_fields is not None and not _CONTACT_FIELDS & set(update_fields)):
        return
    reindex_contacts([instance.pk])
