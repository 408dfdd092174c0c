"""Demo data of the member network: real municipalities of Rhineland-Palatinate, invented people.

The AGS of independent cities are the official ones; those of the other municipalities are
illustrative. Every contact person is invented and uses an ``.example`` address.
"""

from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from .models import Contact, MembershipApplication, Municipality, Topic, User, Visit

COORDINATOR_EMAIL = "koordination@ikone-ds.example"
MEMBER_EMAIL = "lena.hoffmann@kaiserslautern.example"
DEMO_PASSWORD = "ikone-demo-2026"  # noqa: S105 (published demo login)
# A fixed TOTP secret so the demo coordinator can log in: `make totp` prints the code.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPIKONEDEMOSECRETA"  # noqa: S105

IC = Municipality.Kind.INDEPENDENT_CITY
LT = Municipality.Kind.LARGE_TOWN
TOWN = Municipality.Kind.TOWN
VG = Municipality.Kind.COLLECTIVE
GEM = Municipality.Kind.MUNICIPALITY

# name, kind, district, AGS, joined, website, head of administration, topic slugs
MUNICIPALITIES = [
    (
        "Kaiserslautern",
        IC,
        "",
        "07312000",
        date(2019, 5, 1),
        "https://www.kaiserslautern.de",
        "Oberbürgermeisterin",
        ["smart-city", "krisenmanagement", "sensornetzwerke"],
    ),
    (
        "Mainz",
        IC,
        "",
        "07315000",
        date(2019, 9, 1),
        "https://www.mainz.de",
        "Oberbürgermeister",
        ["digitalstrategie", "beteiligungsplattformen"],
    ),
    (
        "Koblenz",
        IC,
        "",
        "07111000",
        date(2020, 2, 1),
        "https://www.koblenz.de",
        "Oberbürgermeister",
        ["smart-city", "verwaltungsdigitalisierung"],
    ),
    (
        "Trier",
        IC,
        "",
        "07211000",
        date(2020, 2, 1),
        "https://www.trier.de",
        "Oberbürgermeister",
        ["digitalstrategie", "smart-city"],
    ),
    (
        "Ludwigshafen am Rhein",
        IC,
        "",
        "07314000",
        date(2020, 6, 1),
        "https://www.ludwigshafen.de",
        "Oberbürgermeisterin",
        ["verwaltungsdigitalisierung", "datenschutz"],
    ),
    (
        "Worms",
        IC,
        "",
        "07319000",
        date(2020, 6, 1),
        "https://www.worms.de",
        "Oberbürgermeister",
        ["beteiligungsplattformen"],
    ),
    (
        "Speyer",
        IC,
        "",
        "07318000",
        date(2020, 9, 1),
        "https://www.speyer.de",
        "Oberbürgermeisterin",
        ["digitale-veranstaltungen", "digitalstrategie"],
    ),
    (
        "Landau in der Pfalz",
        IC,
        "",
        "07313000",
        date(2020, 9, 1),
        "https://www.landau.de",
        "Oberbürgermeister",
        ["smart-city"],
    ),
    (
        "Neustadt an der Weinstraße",
        IC,
        "",
        "07316000",
        date(2020, 9, 1),
        "https://www.neustadt.eu",
        "Oberbürgermeister",
        ["verwaltungsdigitalisierung"],
    ),
    (
        "Pirmasens",
        IC,
        "",
        "07317000",
        date(2020, 11, 1),
        "https://www.pirmasens.de",
        "Oberbürgermeister",
        ["smart-city", "kommunalentwicklung"],
    ),
    (
        "Zweibrücken",
        IC,
        "",
        "07320000",
        date(2021, 1, 1),
        "https://www.zweibruecken.de",
        "Oberbürgermeister",
        ["digitalstrategie"],
    ),
    (
        "Frankenthal (Pfalz)",
        IC,
        "",
        "07311000",
        date(2021, 3, 1),
        "https://www.frankenthal.de",
        "Oberbürgermeister",
        ["datenschutz"],
    ),
    (
        "Bad Dürkheim",
        TOWN,
        "Bad Dürkheim",
        "07332002",
        date(2020, 2, 1),
        "https://www.bad-duerkheim.de",
        "Bürgermeisterin",
        ["verwaltungsdigitalisierung", "strukturen-digitaler-projekte"],
    ),
    (
        "Ingelheim am Rhein",
        LT,
        "Mainz-Bingen",
        "07339030",
        date(2020, 6, 1),
        "https://www.ingelheim.de",
        "Oberbürgermeister",
        ["verwaltungsdigitalisierung", "digitalstrategie"],
    ),
    (
        "Verbandsgemeinde Enkenbach-Alsenborn",
        VG,
        "Kaiserslautern",
        "07335501",
        date(2020, 9, 1),
        "https://www.enkenbach-alsenborn.de",
        "Bürgermeister",
        ["beteiligungsplattformen", "digitale-veranstaltungen"],
    ),
    (
        "Bingen am Rhein",
        LT,
        "Mainz-Bingen",
        "07339005",
        date(2021, 5, 1),
        "https://www.bingen.de",
        "Oberbürgermeister",
        ["smart-city"],
    ),
    (
        "Andernach",
        LT,
        "Mayen-Koblenz",
        "07137003",
        date(2021, 5, 1),
        "https://www.andernach.de",
        "Oberbürgermeister",
        ["kommunalentwicklung", "sensornetzwerke"],
    ),
    (
        "Neuwied",
        LT,
        "Neuwied",
        "07138045",
        date(2021, 9, 1),
        "https://www.neuwied.de",
        "Oberbürgermeister",
        ["digitalstrategie"],
    ),
    (
        "Idar-Oberstein",
        LT,
        "Birkenfeld",
        "07134045",
        date(2021, 9, 1),
        "https://www.idar-oberstein.de",
        "Oberbürgermeister",
        ["verwaltungsdigitalisierung"],
    ),
    (
        "Bad Kreuznach",
        LT,
        "Bad Kreuznach",
        "07133006",
        date(2021, 9, 1),
        "https://www.bad-kreuznach.de",
        "Oberbürgermeister",
        ["beteiligungsplattformen", "datenschutz"],
    ),
    (
        "Mayen",
        LT,
        "Mayen-Koblenz",
        "07137068",
        date(2022, 1, 1),
        "https://www.mayen.de",
        "Oberbürgermeister",
        ["smart-city"],
    ),
    (
        "Lahnstein",
        LT,
        "Rhein-Lahn-Kreis",
        "07141075",
        date(2022, 1, 1),
        "https://www.lahnstein.de",
        "Oberbürgermeister",
        ["krisenmanagement"],
    ),
    (
        "Germersheim",
        TOWN,
        "Germersheim",
        "07334007",
        date(2022, 4, 1),
        "https://www.germersheim.eu",
        "Bürgermeister",
        ["homeoffice"],
    ),
    (
        "Wörth am Rhein",
        TOWN,
        "Germersheim",
        "07334501",
        date(2023, 3, 1),
        "https://www.woerth.de",
        "Bürgermeister",
        ["smart-city", "krisenmanagement"],
    ),
    (
        "Haßloch",
        GEM,
        "Bad Dürkheim",
        "07332024",
        date(2023, 3, 1),
        "https://www.hassloch.de",
        "Bürgermeister",
        ["verwaltungsdigitalisierung"],
    ),
    (
        "Schifferstadt",
        TOWN,
        "Rhein-Pfalz-Kreis",
        "07338025",
        date(2023, 5, 1),
        "https://www.schifferstadt.de",
        "Bürgermeisterin",
        ["digitalstrategie", "homeoffice"],
    ),
    (
        "Kusel",
        TOWN,
        "Kusel",
        "07336050",
        date(2023, 5, 1),
        "https://www.stadt-kusel.de",
        "Stadtbürgermeister",
        ["kommunalentwicklung"],
    ),
    (
        "Wittlich",
        TOWN,
        "Bernkastel-Wittlich",
        "07231134",
        date(2023, 7, 1),
        "https://www.wittlich.de",
        "Bürgermeister",
        ["digitalstrategie", "beteiligungsplattformen"],
    ),
    (
        "Montabaur",
        TOWN,
        "Westerwaldkreis",
        "07143047",
        date(2023, 7, 1),
        "https://www.montabaur.de",
        "Stadtbürgermeisterin",
        ["smart-city", "verwaltungsdigitalisierung"],
    ),
]

FIRST_NAMES = [
    "Lena",
    "Jonas",
    "Miriam",
    "Tobias",
    "Sabine",
    "Felix",
    "Katrin",
    "Markus",
    "Julia",
    "Stefan",
    "Anja",
    "Daniel",
    "Petra",
    "Sebastian",
    "Nadine",
    "Christian",
    "Eva",
    "Timo",
    "Carina",
    "Matthias",
    "Ines",
    "Florian",
    "Heike",
    "Benedikt",
    "Svenja",
    "Oliver",
    "Melanie",
    "Patrick",
    "Larissa",
    "Dominik",
]
LAST_NAMES = [
    "Hoffmann",
    "Weber",
    "Schäfer",
    "Becker",
    "Wagner",
    "Schmitt",
    "Klein",
    "Neumann",
    "Krüger",
    "Zimmermann",
    "Braun",
    "Hartmann",
    "Lange",
    "Werner",
    "Lehmann",
    "Köhler",
    "Maier",
    "Fuchs",
    "Scholz",
    "Vogel",
    "Jung",
    "Roth",
    "Frank",
    "Berger",
    "Keller",
    "Kaiser",
    "Seidel",
    "Huber",
    "Busch",
    "Thomas",
]
POSITIONS = [
    "Digitalbeauftragte",
    "Leitung IT",
    "Smart-City-Managerin",
    "Referent Digitalisierung",
    "CDO",
    "Organisationsentwicklung",
    "Stabsstelle Digitalisierung",
    "Wirtschaftsförderung",
]


def demo_pdf() -> bytes:
    """A minimal valid PDF (one blank A4 page) for the demo application letter."""
    import io

    import pypdf

    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _address(first: str, last: str, municipality: str) -> str:
    from ikone.text import german_slugify

    host = german_slugify(municipality.replace("Verbandsgemeinde ", "vg-"))
    return f"{german_slugify(first)}.{german_slugify(last)}@{host}.example"


def load(stdout=None) -> dict:
    """Create or update the demo network. Safe to run again."""
    from ikone.text import german_slugify

    topics = {topic.slug: topic for topic in Topic.objects.all()}
    municipalities = []
    for index, (name, kind, district, ags, joined, website, head, topic_slugs) in enumerate(
        MUNICIPALITIES
    ):
        municipality, _created = Municipality.objects.update_or_create(
            ags=ags,
            defaults={
                "name": name,
                "slug": german_slugify(name),
                "kind": kind,
                "district": district,
                "member_since": joined,
                "website": website,
                "head_of_administration": head,
                "status": Municipality.Status.MEMBER,
            },
        )
        municipality.topics.set([topics[slug] for slug in topic_slugs if slug in topics])
        municipalities.append(municipality)
        first, last = FIRST_NAMES[index], LAST_NAMES[index]
        email = MEMBER_EMAIL if index == 0 else _address(first, last, name)
        contact, _created = Contact.objects.update_or_create(
            email=email,
            defaults={
                "municipality": municipality,
                "first_name": first,
                "last_name": last,
                "position": POSITIONS[index % len(POSITIONS)],
                "phone": f"+49 6{index:02d} 123-{100 + index}",
                "is_primary": True,
            },
        )
        contact.topics.set(municipality.topics.all()[:2])
        if index % 3 == 0:  # a second contact in some municipalities
            second_first = FIRST_NAMES[(index + 7) % len(FIRST_NAMES)]
            second_last = LAST_NAMES[(index + 11) % len(LAST_NAMES)]
            Contact.objects.update_or_create(
                email=_address(second_first, second_last, name),
                defaults={
                    "municipality": municipality,
                    "first_name": second_first,
                    "last_name": second_last,
                    "position": POSITIONS[(index + 3) % len(POSITIONS)],
                },
            )

    coordinator, _created = User.objects.get_or_create(
        email=COORDINATOR_EMAIL,
        defaults={
            "first_name": "Team",
            "last_name": "Koordination",
            "is_staff": True,
            "is_superuser": True,
        },
    )
    coordinator.is_staff = coordinator.is_superuser = True
    coordinator.set_password(DEMO_PASSWORD)
    coordinator.save()
    _ensure_totp(coordinator)

    member_contact = Contact.objects.get(email=MEMBER_EMAIL)
    member, _created = User.objects.get_or_create(
        email=MEMBER_EMAIL,
        defaults={"first_name": member_contact.first_name, "last_name": member_contact.last_name},
    )
    member.set_password(DEMO_PASSWORD)
    member.save()
    if member_contact.user_id != member.pk:
        member_contact.user = member
        member_contact.invited_at = timezone.now()
        member_contact.save(update_fields=["user", "invited_at"])

    kaiserslautern = municipalities[0]
    for offset, (place, notes) in enumerate(
        [
            (
                municipalities[12],
                "Projektgruppe „Digitales“ vorgestellt; trifft sich alle sechs Wochen.",
            ),
            (municipalities[13], "Angebot eines gemeinsamen Workshops in Ingelheim besprochen."),
            (
                municipalities[14],
                "Erfahrungen mit digitalen Bürgerbeteiligungsformaten ausgetauscht.",
            ),
        ]
    ):
        Visit.objects.get_or_create(
            municipality=place,
            date=date(2023, 4, 12) + timedelta(days=14 * offset),
            defaults={"visitors": "Team IKONE DS", "notes": notes, "created_by": coordinator},
        )

    _coordinator_edit(coordinator, Visit.objects.filter(municipality=municipalities[12]).first())

    if not MembershipApplication.objects.filter(ags="07143306").exists():
        application = MembershipApplication(
            municipality_name="Verbandsgemeinde Westerburg",
            kind=Municipality.Kind.COLLECTIVE,
            district="Westerwaldkreis",
            ags="07143306",
            head_of_administration="Bürgermeister",
            website="https://www.westerburg.de",
            contact_first_name="Ralf",
            contact_last_name="Sommer",
            contact_email="ralf.sommer@vg-westerburg.example",
            contact_position="Leitung Organisation und IT",
            message=(
                "Wir möchten uns mit anderen Kommunen zur Verwaltungsdigitalisierung austauschen."
            ),
            privacy_consent_at=timezone.now(),
        )
        application.letter.save("antrag-westerburg.pdf", ContentFile(demo_pdf()), save=False)
        application.save()

    return {
        "coordinator": coordinator,
        "member": member,
        "municipalities": municipalities,
        "home": kaiserslautern,
    }


def _coordinator_edit(coordinator: User, visit: Visit) -> None:
    """Once: the coordinator adds a note to a visit and a topic to the municipality, so the
    admin's field history (and the visit's History page) has something to show."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from ikone.audit import acting

    kind = ContentType.objects.get_for_model(Visit)
    if LogEntry.objects.filter(content_type=kind, object_pk=str(visit.pk)).exists():
        return
    with acting(coordinator):
        visit.notes += " Nachtrag: Präsentation an die Projektgruppe geschickt."
        visit.save()
        topic = Topic.objects.exclude(municipalities=visit.municipality).order_by("pk").first()
        if topic is not None:
            visit.municipality.topics.add(topic)


def _ensure_totp(user: User) -> None:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)


def current_totp_code() -> str:
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counters[len(counters) // 2]))
