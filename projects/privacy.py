"""Personal data in the project catalogue (collected by ``ikone.privacy``).

Profiles belong to their municipality and stay when a person is anonymised. The person is
taken off the profiles' contact persons, the ``created_by`` and ``actor`` links keep
pointing to the login (which ``members.privacy`` turns into a nameless placeholder), and the
person's name and addresses are removed from the texts.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from ikone.dates import iso
from ikone.markup import render_markdown
from ikone.privacy import Subject, mentions, rewrite, scrub, scrubbed_fields

from .models import AskConsent, ProjectEvent, ProjectProfile, Reuse, Suggestion

COVERS = {
    "projects.ProjectProfile": "profiles the person created or is named on as contact person: "
    "exported; the person is removed from the contact persons and from the texts; the "
    "profile stays (it belongs to the municipality)",
    "projects.Reuse": "reuse the person recorded for their municipality: exported; the link "
    "to the person is removed, names are removed from the lessons; the record stays (it "
    "belongs to the municipality)",
    "projects.AskConsent": "the topics the person agreed to be asked on: exported; deleted",
    "projects.Suggestion": "when the person was suggested under 'Wen fragen?', and whom the "
    "person asked about: exported (dates only); deleted",
    "projects.ExpertiseItem": "evidence for 'Wen fragen?' derived from the records above, "
    "talks and posts: not exported (the records it comes from are); rebuilt when those "
    "change, so removing the person from profiles and texts removes it, and without the "
    "deleted consent it is never shown",
    "projects.ProjectEvent": "history of profiles (submitted, published, comments): exported; "
    "the actor link points to the anonymised login, names are removed from comments",
}

TEXT_FIELDS = (
    "title",
    "summary",
    "description",
    "stage_reason",
    "outside_partners",
    "lessons_learned",
    "obstacles",
    "cover_alt",
)


def _profiles(subject: Subject):
    query = mentions(TEXT_FIELDS, subject) or Q(pk__in=[])
    if subject.user is not None:
        query |= Q(created_by=subject.user)
    if subject.contact is not None:
        query |= Q(contacts=subject.contact)
    return ProjectProfile.objects.filter(query).distinct()


def export(subject: Subject) -> dict[str, Any]:
    named = []
    if subject.contact is not None:
        named = [
            {"title": project.title, "municipality": project.municipality.name}
            for project in subject.contact.projects.select_related("municipality")
        ]
    created, history = [], []
    if subject.user is not None:
        created = [
            {
                "title": project.title,
                "status": project.status,
                "visibility": project.visibility,
                "created_at": iso(project.created_at),
                "updated_at": iso(project.updated_at),
            }
            for project in ProjectProfile.objects.filter(created_by=subject.user)
        ]
        history = [
            {
                "project": event.project.title,
                "action": event.action,
                "comment": event.comment,
                "at": iso(event.created_at),
            }
            for event in ProjectEvent.objects.filter(actor=subject.user).select_related("project")
        ]
    reuses = []
    if subject.contact is not None:
        reuses = [
            {
                "project": reuse.project.title,
                "stage": reuse.stage,
                "date": iso(reuse.date),
                "effort": reuse.effort,
                "lessons": reuse.lessons,
            }
            for reuse in Reuse.objects.filter(contact=subject.contact).select_related("project")
        ]
    consent = None
    suggested: list[str | None] = []
    if subject.contact is not None:
        found = AskConsent.objects.filter(contact=subject.contact).first()
        if found is not None:
            consent = {
                "topics": [topic.name for topic in found.topics.all()],
                "monthly_cap": found.monthly_cap,
                "agreed_at": iso(found.agreed_at),
            }
        suggested = [
            iso(at)
            for at in Suggestion.objects.filter(contact=subject.contact).values_list(
                "created_at", flat=True
            )
        ]
    asked = []
    if subject.user is not None:
        asked = [
            iso(at)
            for at in Suggestion.objects.filter(asked_by=subject.user).values_list(
                "created_at", flat=True
            )
        ]
    return {
        "consent_to_be_asked": consent,
        "suggested_to_members_at": suggested,
        "people_suggested_to_you_at": asked,
        "reuse_recorded": reuses,
        "contact_person_on_projects": named,
        "projects_created": created,
        "project_history": history,
    }


def anonymise(subject: Subject, *, by) -> None:
    if subject.contact is not None:
        AskConsent.objects.filter(contact=subject.contact).delete()
        Suggestion.objects.filter(contact=subject.contact).delete()
    if subject.user is not None:
        Suggestion.objects.filter(asked_by=subject.user).delete()
    for project in _profiles(subject):
        if subject.contact is not None:
            project.contacts.remove(subject.contact)
        changed = scrubbed_fields(project, TEXT_FIELDS, subject)
        if "description" in changed:
            changed["description_html"] = render_markdown(changed["description"])
        if changed:
            rewrite(project, changed, by=by)
    reuses = mentions(("lessons", "effort"), subject) or Q(pk__in=[])
    if subject.contact is not None:
        reuses |= Q(contact=subject.contact)
    for reuse in Reuse.objects.filter(reuses):
        changed: dict[str, Any] = scrubbed_fields(reuse, ("lessons", "effort"), subject)
        if subject.contact is not None and reuse.contact_id == subject.contact.pk:
            changed["contact"] = None
        if changed:
            Reuse.objects.filter(pk=reuse.pk).update(**changed)
    events = mentions(("comment",), subject)
    if events is not None:
        for event in ProjectEvent.objects.filter(events).only("pk", "comment"):
            ProjectEvent.objects.filter(pk=event.pk).update(comment=scrub(event.comment, subject))
