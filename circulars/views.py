"""Pages of circular letters: the personal reply link (no login) and the members' archive."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from ikone.markup import render_markdown
from ikone.storage import private_file_response
from members.decorators import member_required
from members.permissions import contact_of

from . import permissions, selectors
from .models import CircularAttachment
from .services import answers as answer_services
from .services import errors as circular_errors
from .services import links as link_services


def _reply_context(recipient, **extra):
    circular = recipient.circular
    return {
        "recipient": recipient,
        "circular": circular,
        "options": circular.answer_options(),
        "answer_label": circular.answer_label(recipient.answer) if recipient.answer else "",
        # the stored answer stays selected, so changing it starts from what was given
        "chosen": recipient.answer,
        "comment": recipient.comment,
        **extra,
    }


@require_http_methods(["GET", "POST"])
def circular_reply(request, pk, token):
    """Answer a circular through the signed personal link from the e-mail (no login).

    A click on an answer in the e-mail records it at once and shows the confirmation; the
    page lets the recipient change the answer or add a comment until the closing date.
    """
    try:
        recipient = link_services.recipient_from_token(circular_id=pk, token=token)
    except circular_errors.InvalidReplyLink as error:
        return render(request, "circulars/link_invalid.html", {"error": str(error)}, status=400)
    error = None
    chosen = ""
    comment = recipient.comment
    if request.method == "POST":
        chosen = request.POST.get("answer", "")
        comment = request.POST.get("comment", "")
    elif request.GET.get("antwort"):
        chosen = request.GET["antwort"]
        comment = recipient.comment
    if chosen:
        try:
            answer_services.answer_circular(recipient=recipient, answer=chosen, comment=comment)
        except circular_errors.CircularError as failure:
            error = str(failure)
        else:
            if request.method == "POST":
                return redirect(request.path + "?gespeichert=1")
            return render(request, "circulars/reply.html", _reply_context(recipient, saved=True))
    context = _reply_context(
        recipient,
        error=error,
        saved=request.GET.get("gespeichert") == "1",
        chosen=chosen or recipient.answer,
        comment=comment,
    )
    return render(request, "circulars/reply.html", context, status=400 if error else 200)


def _visible_circulars(request):
    if not permissions.can_read_archive(request.user):
        raise PermissionDenied
    return selectors.circulars_sent_to(
        contact_of(request.user), everything=permissions.sees_every_circular(request.user)
    )


@member_required
def circular_archive(request):
    circulars = _visible_circulars(request).order_by("-sent_at", "-pk")
    page = Paginator(circulars.only("subject", "sent_at", "question"), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "circulars/archive.html", {"page": page, "querystring": ""})


@member_required
def circular_detail(request, pk):
    circular = get_object_or_404(_visible_circulars(request).prefetch_related("attachments"), pk=pk)
    contact = contact_of(request.user)
    recipient = circular.recipients.filter(contact=contact).first() if contact is not None else None
    return render(
        request,
        "circulars/detail.html",
        {
            "circular": circular,
            "body_html": render_markdown(circular.body),
            "recipient": recipient,
            "reply_url": link_services.reply_url(recipient) if recipient else "",
            "answer_label": circular.answer_label(recipient.answer)
            if recipient and recipient.answer
            else "",
        },
    )


@member_required
def circular_attachment(request, pk, attachment_pk):
    circular = get_object_or_404(_visible_circulars(request), pk=pk)
    attachment = get_object_or_404(CircularAttachment, pk=attachment_pk, circular=circular)
    return private_file_response(attachment.file, filename=attachment.filename)
