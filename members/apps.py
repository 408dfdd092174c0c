from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Network members")

    def ready(self):
        # allauth's Authenticator model has no verbose name, so the German admin showed the
        # English class name. Its labels are set here, translatable like ours.
        from allauth.mfa.models import Authenticator

        from ikone import audit
        from ikone import privacy as privacy_registry

        from . import area  # noqa: F401 (registers its start-page to-dos and card)
        from .models import Contact, MembershipApplication, Municipality, Topic, User, Visit
        from .privacy import contact_of_login

        # ikone.privacy finds a login's contact record through this (it names no app).
        privacy_registry.register_contact_lookup(contact_of_login)

        Authenticator._meta.verbose_name = _("authenticator")
        Authenticator._meta.verbose_name_plural = _("authenticators")

        # Field history of the coordinators' edits (ikone.audit): never passwords or logins.
        audit.register(
            User,
            include_fields=[
                "email",
                "first_name",
                "last_name",
                "is_active",
                "is_staff",
                "is_superuser",
            ],
        )
        audit.register(Municipality, m2m_fields=("topics",))
        audit.register(Contact, m2m_fields=("topics",))
        for model in (Topic, MembershipApplication, Visit):
            audit.register(model)
