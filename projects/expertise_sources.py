"""This app's evidence for *Wen fragen?* (registered in ``apps.py``): the roles contact persons
have in profiles, and the reuse their municipality confirmed.

* **lead** — named on a profile of their own municipality; **partner** — named on a profile
  their municipality is a partner of. Weight: the role (``LEAD``, ``PARTNER``) times how far the
  profile got (``STAGE_FACTOR``); date: its end, else its last update. Withdrawn profiles
  are no evidence.
* **reuse** — a confirmed reuse a contact person recorded, on the topics of the profile taken
  up (``REUSER``, dated by the reuse).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from . import expertise
from .expertise_index import IndexSource, Item, register
from .models import ProjectProfile, Reuse

ROLES = "projects.roles"
REUSE = "projects.reuse"


def role_items(profiles: QuerySet) -> Iterable[Item]:
    profiles = (
        profiles.for_members()
        .only("pk", "municipality_id", "stage", "end", "updated_at")
        .prefetch_related("topics", "partner_municipalities", "contacts")
    )
    for profile in profiles:
        topics = tuple(topic.pk for topic in profile.topics.all())
        partners = {municipality.pk for municipality in profile.partner_municipalities.all()}
        stage = expertise.STAGE_FACTOR.get(profile.stage, 1.0)
        when = profile.end or profile.updated_at.astimezone(dt.UTC).date()
        for contact in profile.contacts.all():
            if contact.municipality_id == profile.municipality_id:
                kind, weight = "lead", expertise.LEAD
            elif contact.municipality_id in partners:
                kind, weight = "partner", expertise.PARTNER
            else:
                continue
            yield Item(
                contact_id=contact.pk,
                kind=kind,
                object_id=profile.pk,
                weight=weight * stage,
                when=when,
                topic_ids=topics,
                project_id=profile.pk,
            )


def reuse_items(reuses: QuerySet) -> Iterable[Item]:
    found = (
        reuses.filter(
            confirmation=Reuse.Confirmation.CONFIRMED,
            contact__isnull=False,
            project__in=ProjectProfile.objects.for_members().values("pk"),
        )
        .only("pk", "contact_id", "project_id", "date")
        .prefetch_related("project__topics")
    )
    for reuse in found:
        yield Item(
            contact_id=reuse.contact_id,
            kind="reuse",
            object_id=reuse.pk,
            weight=expertise.REUSER,
            when=reuse.date,
            topic_ids=tuple(topic.pk for topic in reuse.project.topics.all()),
            project_id=reuse.project_id,
        )


def lead_reasons(ids: list[int]) -> dict[int, str]:
    profiles = ProjectProfile.objects.filter(pk__in=ids).only(
        "pk", "title", "stage", "start", "end"
    )
    return {profile.pk: expertise._lead_reason(profile) for profile in profiles}


def partner_reasons(ids: list[int]) -> dict[int, str]:
    profiles = ProjectProfile.objects.filter(pk__in=ids).values_list(
        "pk", "title", "municipality__name"
    )
    wording = _("partner in “%(title)s” of %(municipality)s")
    return {
        pk: wording % {"title": title, "municipality": municipality}
        for pk, title, municipality in profiles
    }


def reuse_reasons(ids: list[int]) -> dict[int, str]:
    rows = Reuse.objects.filter(pk__in=ids).values_list(
        "pk", "project__title", "project__municipality__name", "stage"
    )
    wording = _("their municipality took up “%(title)s” from %(municipality)s (%(stage)s)")
    stages = dict(Reuse.Stage.choices)
    return {
        pk: wording
        % {"title": title, "municipality": municipality, "stage": stages.get(stage, stage)}
        for pk, title, municipality, stage in rows
    }


def _identity(ids: set[int]) -> set[int]:
    return ids


def _reuses_of_profiles(profile_ids: set[int]) -> list[int]:
    return list(Reuse.objects.filter(project_id__in=profile_ids).values_list("pk", flat=True))


def register_sources() -> None:
    register(
        IndexSource(
            name=ROLES,
            model=ProjectProfile,
            items=role_items,
            records_of=lambda contact_ids: ProjectProfile.objects.filter(
                contacts__in=contact_ids
            ).distinct(),
            reasons={"lead": lead_reasons, "partner": partner_reasons},
            m2m={
                ProjectProfile.topics.through: _identity,
                ProjectProfile.contacts.through: _identity,
                ProjectProfile.partner_municipalities.through: _identity,
            },
        )
    )
    register(
        IndexSource(
            name=REUSE,
            model=Reuse,
            items=reuse_items,
            records_of=lambda contact_ids: Reuse.objects.filter(contact_id__in=contact_ids),
            reasons={"reuse": reuse_reasons},
            depends_on={
                ProjectProfile: lambda profile: _reuses_of_profiles({profile.pk}),
            },
            m2m={ProjectProfile.topics.through: _reuses_of_profiles},
        )
    )
