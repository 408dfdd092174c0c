"""The coordinator's workplace for circular letters: write, preview, send, follow, answers.

GET never writes: the delivery pages show the stored status; the status moves on to "sent"
through the beat (``send_due_circulars``) or the page's refresh, a POST.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ikone.admin_inlines import ModelAdmin, TabularInline
from ikone.outbox import services as outbox_services
from ikone.outbox.models import OutboundEmail
from ikone.spreadsheet import csv_response, safe_text_cell
from ikone.storage import private_file_response
from meetings.models import Meeting

from . import interest_polls, selectors
from .forms import CircularAdminForm, CircularAttachmentForm
from .models import Circular, CircularAttachment, CircularRecipient
from .services import errors as circular_errors
from .services import sending as sending_services


class CircularAttachmentInline(TabularInline):
    model = CircularAttachment
    form = CircularAttachmentForm
    extra = 1


@admin.register(Circular)
class CircularAdmin(ModelAdmin):
    form = CircularAdminForm
    inlines = [CircularAttachmentInline]
    list_display = ["subject", "status", "audience", "scheduled_at", "sent_at", "progress_link"]
    list_filter = ["status", "audience"]
    search_fields = ["subject", "body"]
    date_hierarchy = "created_at"
    filter_horizontal = ["topics", "contacts"]
    autocomplete_fields = []
    readonly_fields = ["status", "sent_at"]
    change_form_template = "admin/circulars/circular/change_form.html"

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != Circular.Status.DRAFT:
            return [*CircularAdminForm.Meta.fields, "status", "sent_at"]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status in (Circular.Status.SENDING, Circular.Status.SENT):
            return False
        return super().has_delete_permission(request, obj)

    def get_inlines(self, request, obj):
        return self.inlines if obj is None or obj.status == Circular.Status.DRAFT else []

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("delivery"))
    def progress_link(self, obj):
        if obj.status in (Circular.Status.SENDING, Circular.Status.SENT):
            return format_html(
                '<a href="{}">{}</a>',
                reverse("admin:circulars_circular_progress", args=[obj.pk]),
                _("progress"),
            )
        return "–"

    def to_meeting_view(self, request):
        """Interest polls: a circular's answers become a draft meeting with one click."""
        if not request.user.has_perm("meetings.add_meeting"):
            raise PermissionDenied
        if request.method == "POST":
            circular = get_object_or_404(
                interest_polls.polls(), pk=_number(request.POST.get("circular"))
            )
            try:
                meeting = interest_polls.meeting_from_circular(
                    circular=circular, answer=request.POST.get("answer", ""), by=request.user
                )
            except interest_polls.InterestPollError as error:
                self.message_user(request, error.message, messages.ERROR)
                return HttpResponseRedirect(request.path)
            self.message_user(
                request,
                _(
                    "A draft meeting was created; its invitation list holds %(count)d "
                    "municipalities."
                )
                % {"count": meeting.invited_municipalities.count()},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
        rows = [
            (circular, interest_polls.answers_by_municipality(circular))
            for circular in interest_polls.polls()[:20]
        ]
        return render(
            request,
            "admin/meetings/meeting/from_circular.html",
            {
                **self.admin_site.each_context(request),
                "opts": Meeting._meta,
                "title": _("Meeting from a circular's answers"),
                "rows": rows,
            },
        )

    def get_urls(self):
        def wrap(view):
            return self.admin_site.admin_view(view)

        urls = [
            path("<int:pk>/preview/", wrap(self.preview_view), name="circulars_circular_preview"),
            path("<int:pk>/test/", wrap(self.test_view), name="circulars_circular_test"),
            path("<int:pk>/send/", wrap(self.send_view), name="circulars_circular_send"),
            path(
                "<int:pk>/unschedule/",
                wrap(self.unschedule_view),
                name="circulars_circular_unschedule",
            ),
            path(
                "<int:pk>/progress/", wrap(self.progress_view), name="circulars_circular_progress"
            ),
            path(
                "<int:pk>/progress.json",
                wrap(self.progress_json_view),
                name="circulars_circular_progress_json",
            ),
            path(
                "<int:pk>/refresh/",
                wrap(require_POST(self.refresh_view)),
                name="circulars_circular_refresh",
            ),
            path("to-meeting/", wrap(self.to_meeting_view), name="circulars_circular_to_meeting"),
            path("<int:pk>/retry/", wrap(self.retry_view), name="circulars_circular_retry"),
            path("<int:pk>/answers/", wrap(self.answers_view), name="circulars_circular_answers"),
            path(
                "<int:pk>/attachment/<int:attachment_pk>/",
                wrap(self.attachment_view),
                name="circulars_circular_attachment",
            ),
            path(
                "<int:pk>/answers.csv",
                wrap(self.answers_csv_view),
                name="circulars_circular_answers_csv",
            ),
        ]
        return urls + super().get_urls()

    def _circular(self, request, pk, *, change=False) -> Circular:
        circular = self.get_object(request, str(pk))
        if circular is None:
            raise Http404
        allowed = (
            self.has_change_permission(request, None)
            if change
            else self.has_view_permission(request, circular)
        )
        if not allowed:
            raise PermissionDenied
        return circular

    def _context(self, request, circular, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": circular,
            "circular": circular,
            "title": title,
            **extra,
        }

    def preview_view(self, request, pk):
        circular = self._circular(request, pk)
        context = sending_services.circular_context(
            circular,
            name=request.user.get_full_name() or request.user.email,
            link="",
            attachments=list(circular.attachments.all()),
            is_test=True,
        )
        rendered = outbox_services.render_email(template=sending_services.TEMPLATE, context=context)
        return render(
            request,
            "admin/circulars/circular/preview.html",
            self._context(
                request,
                circular,
                _("Preview: %(subject)s") % {"subject": circular.subject},
                rendered=rendered,
                body_html=context["body_html"],
                recipients=selectors.circular_audience(circular).count(),
            ),
        )

    @staticmethod
    def _back(circular):
        return HttpResponseRedirect(reverse("admin:circulars_circular_change", args=[circular.pk]))

    def test_view(self, request, pk):
        if request.method != "POST":
            return self._back(self._circular(request, pk))
        circular = self._circular(request, pk, change=True)
        try:
            sending_services.send_test_copy(circular=circular, by=request.user)
        except circular_errors.CircularError as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(
                request,
                _("A test copy is on its way to %(email)s.") % {"email": request.user.email},
            )
        return self._back(circular)

    def send_view(self, request, pk):
        circular = self._circular(request, pk, change=True)
        if request.method != "POST":
            return self._back(circular)
        try:
            circular = sending_services.send_circular(circular=circular, by=request.user)
        except circular_errors.CircularError as error:
            self.message_user(request, str(error), messages.ERROR)
            return self._back(circular)
        if circular.status == Circular.Status.SCHEDULED:
            self.message_user(request, _("The circular letter is scheduled."))
            return self._back(circular)
        self.message_user(request, _("The circular letter is being sent."))
        return HttpResponseRedirect(reverse("admin:circulars_circular_progress", args=[pk]))

    def unschedule_view(self, request, pk):
        circular = self._circular(request, pk, change=True)
        if request.method == "POST":
            try:
                sending_services.unschedule_circular(circular=circular, by=request.user)
            except circular_errors.CircularError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, _("The circular letter is a draft again."))
        return self._back(circular)

    def progress_view(self, request, pk):
        circular = self._circular(request, pk)
        recipients = (
            CircularRecipient.objects.filter(circular=circular)
            .select_related("contact__municipality", "email")
            .order_by("contact__last_name", "contact__first_name", "pk")
        )
        status = request.GET.get("status", "")
        if status in OutboundEmail.Status.values:
            recipients = recipients.filter(email__status=status)
        page = Paginator(recipients, 100).get_page(request.GET.get("page"))
        return render(
            request,
            "admin/circulars/circular/progress.html",
            self._context(
                request,
                circular,
                _("Delivery: %(subject)s") % {"subject": circular.subject},
                progress=selectors.circular_progress(circular=circular),
                page=page,
                querystring=f"status={status}" if status else "",
                status_filter=status,
                statuses=OutboundEmail.Status.choices,
            ),
        )

    @staticmethod
    def _progress_json(circular):
        progress = selectors.circular_progress(circular=circular)
        progress["status_label"] = circular.get_status_display()
        return JsonResponse(progress)

    def progress_json_view(self, request, pk):
        return self._progress_json(self._circular(request, pk))

    def refresh_view(self, request, pk):
        """POST: a circular whose mail has all left counts as sent (the page's script polls
        this; without script the refresh button). Answers JSON to the script."""
        circular = self._circular(request, pk)
        sending_services.refresh_circular_status(circular=circular)
        if "application/json" in request.headers.get("Accept", ""):
            return self._progress_json(circular)
        return HttpResponseRedirect(reverse("admin:circulars_circular_progress", args=[pk]))

    def retry_view(self, request, pk):
        circular = self._circular(request, pk, change=True)
        if request.method == "POST":
            count = sending_services.retry_failed_recipients(circular=circular, by=request.user)
            self.message_user(
                request,
                ngettext("%(count)d e-mail queued again.", "%(count)d e-mails queued again.", count)
                % {"count": count},
            )
        return HttpResponseRedirect(reverse("admin:circulars_circular_progress", args=[pk]))

    def answers_view(self, request, pk):
        circular = self._circular(request, pk)
        recipients = (
            circular.recipients.exclude(answer="")
            .select_related("contact__municipality")
            .order_by("contact__municipality__name", "contact__last_name")
        )
        page = Paginator(recipients, 100).get_page(request.GET.get("page"))
        for recipient in page:
            recipient.answer_text = circular.answer_label(recipient.answer)
        return render(
            request,
            "admin/circulars/circular/answers.html",
            self._context(
                request,
                circular,
                _("Answers: %(subject)s") % {"subject": circular.subject},
                counts=selectors.answer_counts(circular=circular),
                by_municipality=selectors.answers_by_municipality(circular=circular),
                page=page,
                querystring="",
            ),
        )

    def attachment_view(self, request, pk, attachment_pk):
        """An attachment as stored, also of drafts (members get theirs in the archive)."""
        circular = self._circular(request, pk)
        attachment = get_object_or_404(CircularAttachment, pk=attachment_pk, circular=circular)
        return private_file_response(attachment.file, filename=attachment.filename)

    def answers_csv_view(self, request, pk):
        circular = self._circular(request, pk)
        response, writer = csv_response(f"antworten-{circular.pk}.csv")
        writer.writerow(
            [
                _("municipality"),
                _("first name"),
                _("last name"),
                _("e-mail address"),
                _("answer"),
                _("comment"),
                _("answered"),
            ]
        )
        recipients = circular.recipients.select_related("contact__municipality").order_by(
            "contact__municipality__name", "contact__last_name", "pk"
        )
        for recipient in recipients:
            contact = recipient.contact
            writer.writerow(
                [
                    safe_text_cell(value)
                    for value in (
                        contact.municipality.name,
                        contact.first_name,
                        contact.last_name,
                        contact.email,
                        circular.answer_label(recipient.answer) if recipient.answer else "",
                        recipient.comment,
                        recipient.answered_at.isoformat() if recipient.answered_at else "",
                    )
                ]
            )
        return response


def _number(value) -> int:
    """A posted id as a number (0 when it is none, so the lookup answers 404)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
