"""django-allauth adapted to the portal: no public sign-up, mail through the outbox."""

from allauth.account.adapter import DefaultAccountAdapter

from ikone.outbox import services as outbox


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        """Accounts exist only by invitation from the coordination team."""
        return False

    def send_mail(self, template_prefix, email, context) -> None:
        """Render allauth's mail as usual, then queue it in the outbox instead of sending."""
        message = self.render_mail(template_prefix, email, context)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        outbox.queue_rendered(
            to=email,
            from_email=message.from_email,
            subject=message.subject,
            text=message.body,
            html=html,
            reference=f"account:{template_prefix.rsplit('/', 1)[-1]}",
        )
