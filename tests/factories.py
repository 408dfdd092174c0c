"""factory_boy factories for the member network (apps add theirs in tests/<app>/factories.py)."""

import factory
from django.utils import timezone

from members.models import Contact, MembershipApplication, Municipality, Topic, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = "Erika"
    last_name = "Musterfrau"
    password = factory.django.Password("ein-langes-passwort-123")


class CoordinatorFactory(UserFactory):
    email = factory.Sequence(lambda n: f"koordination{n}@example.org")
    is_staff = True
    is_superuser = True


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Thema {n}")
    slug = factory.Sequence(lambda n: f"thema-{n}")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    name = factory.Sequence(lambda n: f"Musterstadt {n}")
    slug = factory.Sequence(lambda n: f"musterstadt-{n}")
    kind = Municipality.Kind.TOWN
    district = "Kaiserslautern"
    ags = factory.Sequence(lambda n: f"0733{n:04d}")
    member_since = factory.LazyFunction(timezone.localdate)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    municipality = factory.SubFactory(MunicipalityFactory)
    first_name = "Max"
    last_name = factory.Sequence(lambda n: f"Mustermann{n}")
    email = factory.Sequence(lambda n: f"kontakt{n}@example.org")
    position = "Digitalbeauftragte"


class MemberContactFactory(ContactFactory):
    """A contact person with a working login."""

    user = factory.SubFactory(UserFactory, email=factory.SelfAttribute("..email"))


class MembershipApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembershipApplication

    municipality_name = factory.Sequence(lambda n: f"Neustadt {n}")
    kind = Municipality.Kind.TOWN
    district = "Bad Dürkheim"
    ags = factory.Sequence(lambda n: f"0733{5000 + n:04d}")
    head_of_administration = "Bürgermeisterin"
    letter = factory.django.FileField(filename="antrag.pdf", data=b"%PDF-1.4\n%%EOF\n")
    contact_first_name = "Clara"
    contact_last_name = "Neu"
    contact_email = factory.Sequence(lambda n: f"bewerbung{n}@example.org")
    privacy_consent_at = factory.LazyFunction(timezone.now)
