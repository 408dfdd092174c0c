"""The coordinator's cockpit: what waits, on the admin start page, each line linking to the
place where it is done. The top layer: it reads from every app."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from circulars.models import Circular
from circulars.selectors import answers_by_municipality
from ikone.outbox.models import OutboundEmail
from meetings.models import ActionItem, Meeting, MinutesCorrection, MinutesStatus, Registration
from members.models import Contact, MembershipApplication
from news.models import Post
from projects import selectors as project_selectors
from projects.models import Reuse
from surveys.models import Response, Survey


@dataclass
class Line:
    text: str
    url: str
    count: int = 0
    detail: str = ""
    names: list[str] = field(default_factory=list)  # e.g. municipalities not answered yet
    action: dict | None = None  # a POST admin action: {"url", "action", "pk", "label"}


@dataclass
class Section:
    title: str
    lines: list[Line]


def _changelist(model_label: str, query: str = "") -> str:
    url = reverse(f"admin:{model_label.replace('.', '_')}_changelist")
    return f"{url}?{query}" if query else url


def _count_line(count: int, singular: str, plural: str, url: str) -> list[Line]:
    if not count:
        return []
    return [Line(text=ngettext(singular, plural, count) % {"count": count}, url=url, count=count)]


def waiting() -> list[Line]:
    applications = MembershipApplication.objects.filter(
        status=MembershipApplication.Status.PENDING
    ).count()
    posts = Post.objects.filter(status=Post.Status.SUBMITTED, publish_at=None).count()
    failed = OutboundEmail.objects.filter(status=OutboundEmail.Status.FAILED).count()
    overdue = ActionItem.objects.overdue().count()
    profiles = project_selectors.waiting_for_review().count()
    stale = project_selectors.stale_projects().count()
    reuses = Reuse.objects.filter(confirmation=Reuse.Confirmation.PENDING).count()
    return [
        *_count_line(
            applications,
            "%(count)d membership application to decide",
            "%(count)d membership applications to decide",
            _changelist("members.membershipapplication", "status__exact=pending"),
        ),
        *_count_line(
            posts,
            "%(count)d post waiting for review",
            "%(count)d posts waiting for review",
            _changelist("news.post", "queue=waiting"),
        ),
        *_count_line(
            profiles,
            "%(count)d project profile waiting for review",
            "%(count)d project profiles waiting for review",
            _changelist("projects.projectprofile", "queue=review"),
        ),
        *_count_line(
            reuses,
            "%(count)d reuse waiting for the source municipality's confirmation",
            "%(count)d reuses waiting for the source municipality's confirmation",
            _changelist("projects.reuse", "confirmation__exact=pending"),
        ),
        *_count_line(
            stale,
            "%(count)d project profile not updated for a year",
            "%(count)d project profiles not updated for a year",
            _changelist("projects.projectprofile", "queue=stale"),
        ),
        *_count_line(
            failed,
            "%(count)d e-mail could not be delivered",
            "%(count)d e-mails could not be delivered",
            _changelist("outbox.outboundemail", "status__exact=failed"),
        ),
        *_count_line(
            overdue,
            "%(count)d action item is overdue",
            "%(count)d action items are overdue",
            _changelist("meetings.actionitem", "overdue=yes"),
        ),
    ]


def meetings(now=None) -> list[Line]:
    now = now or timezone.now()
    lines = []
    upcoming = (
        Meeting.objects.filter(
            status__in=[Meeting.Status.DRAFT, Meeting.Status.ANNOUNCED], start__gt=now
        )
        .select_related("series")
        .annotate(
            registered=Count(
                "registrations",
                filter=Q(registrations__status=Registration.Status.REGISTERED),
                distinct=True,  # the invitations join repeats each registration
            ),
            invited=Count("invitations", distinct=True),
        )
        .order_by("start")
        .first()
    )
    if upcoming is not None:
        if upcoming.status == Meeting.Status.DRAFT or not upcoming.invited:
            detail = _("Invitations not sent yet.")
        else:
            detail = ngettext(
                "%(count)d invitation sent.", "%(count)d invitations sent.", upcoming.invited
            ) % {"count": upcoming.invited}
        lines.append(
            Line(
                text=_("Next: %(meeting)s on %(date)s – %(count)d registered")
                % {
                    "meeting": upcoming.display_title,
                    "date": timezone.localtime(upcoming.start).strftime("%d.%m.%Y"),
                    "count": upcoming.registered,
                },
                detail=detail,
                url=reverse("admin:meetings_meeting_change", args=[upcoming.pk]),
            )
        )
    lines.extend(minutes_missing(now))
    return lines


MINUTES_LINES = 10


def minutes_missing(now=None) -> list[Line]:
    """Held meetings whose minutes are not approved and wait for the coordinator: not
    written, a draft not sent round, or a round for corrections past its deadline (the beat
    approves those without open corrections, so these have some). A round still running
    waits for the participants, not for the coordinator, and is not listed."""
    now = now or timezone.now()
    waiting = (
        Meeting.objects.filter(end__lt=now)
        .exclude(status__in=[Meeting.Status.CANCELLED, Meeting.Status.DRAFT])
        .filter(
            Q(minutes_status=MinutesStatus.DRAFT)
            | Q(minutes_status=MinutesStatus.CIRCULATED, minutes_deadline__lt=now)
        )
        .select_related("series")
        .annotate(
            open_corrections=Count(
                "minutes_corrections",
                filter=Q(minutes_corrections__status=MinutesCorrection.Status.OPEN),
            )
        )
        .order_by("-start", "pk")
    )
    lines = []
    for meeting in waiting[:MINUTES_LINES]:
        if meeting.minutes_status == MinutesStatus.CIRCULATED:
            detail = ngettext(
                "The round for corrections ended on %(date)s; %(count)d correction is open.",
                "The round for corrections ended on %(date)s; %(count)d corrections are open.",
                meeting.open_corrections,
            ) % {
                "date": timezone.localtime(meeting.minutes_deadline).strftime("%d.%m.%Y"),
                "count": meeting.open_corrections,
            }
        elif meeting.minutes.strip():
            detail = _("A draft, not sent round for corrections yet.")
        else:
            detail = _("Not written yet.")
        lines.append(
            Line(
                text=_("The minutes of %(meeting)s are still open")
                % {"meeting": meeting.display_title},
                detail=detail,
                url=reverse("admin:meetings_meeting_minutes", args=[meeting.pk]),
            )
        )
    return lines


def surveys(now=None) -> list[Line]:
    lines = []
    for survey in Survey.objects.running(now=now).order_by("closes_at")[:5]:
        base = survey.response_base()
        answered = set(
            Response.objects.filter(survey=survey, status=Response.Status.SUBMITTED).values_list(
                "municipality_id", flat=True
            )
        )
        missing = list(
            base.exclude(pk__in=answered).order_by("name").values_list("name", flat=True)
        )
        total = len(missing) + len(answered)
        lines.append(
            Line(
                text=_("%(title)s: %(answered)d of %(total)d municipalities have answered")
                % {"title": survey.title, "answered": len(answered), "total": total},
                detail=_("closes %(date)s")
                % {"date": timezone.localtime(survey.closes_at).strftime("%d.%m.%Y")},
                url=reverse("surveys:results", args=[survey.pk]),
                names=missing,
                action={
                    "url": _changelist("surveys.survey"),
                    "action": "remind_surveys",
                    "pk": survey.pk,
                    "label": _("Remind them"),
                }
                if missing
                else None,
            )
        )
    return lines


def circulars(now=None) -> list[Line]:
    now = now or timezone.now()
    lines = []
    recent = (
        Circular.objects.filter(
            status__in=[Circular.Status.SENDING, Circular.Status.SENT],
            sent_at__gte=now - timedelta(days=90),
        )
        .exclude(question="")
        .order_by("-sent_at")[:5]
    )
    for circular in recent:
        result = answers_by_municipality(circular=circular)
        missing = [row.name for row in result.rows if not row.answers]
        lines.append(
            Line(
                text=_("%(subject)s: %(answered)d of %(total)d municipalities have replied")
                % {
                    "subject": circular.subject,
                    "answered": result.total - result.unanswered,
                    "total": result.total,
                },
                url=reverse("admin:circulars_circular_answers", args=[circular.pk]),
                names=missing,
            )
        )
    return lines


def contacts() -> list[Line]:
    active = Contact.objects.active()
    never_invited = active.filter(user__isnull=True).count()
    never_logged_in = active.filter(user__isnull=False, user__last_login__isnull=True).count()
    return [
        *_count_line(
            never_invited,
            "%(count)d contact person has never been invited",
            "%(count)d contact persons have never been invited",
            _changelist("members.contact", "login=none"),
        ),
        *_count_line(
            never_logged_in,
            "%(count)d contact person has never logged in",
            "%(count)d contact persons have never logged in",
            _changelist("members.contact", "login=never"),
        ),
    ]


def sections(now=None) -> list[Section]:
    return [
        Section(_("Waiting for you"), waiting()),
        Section(_("Meetings"), meetings(now)),
        Section(_("Open surveys"), surveys(now)),
        Section(_("Circular letters"), circulars(now)),
        Section(_("Contact persons"), contacts()),
    ]
