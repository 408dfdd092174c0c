"""Access expectations of the project catalogue (see tests/security/access.py).

Municipality A has a public profile and a members-only one with a PDF. Visitors see only the
public profile; members of every municipality read both; only A's members (and the
coordination team) edit A's profiles — member B gets a 403 for the editor.
"""

from tests.security.access import LOGIN, Expect, members_only, public

MEMBERS = frozenset({"member_a", "member_b", "coordinator"})


def setup(world):
    from django.core.files.base import ContentFile

    from projects.models import ProjectDocument
    from tests.factories import TopicFactory
    from tests.pdfs import tiny_pdf
    from tests.projects.factories import ProjectFactory, PublicProjectFactory

    topic = TopicFactory(name="Sensornetzwerke", slug="sensornetzwerke")
    public_profile = PublicProjectFactory(
        municipality=world.municipality_a,
        title="Pegelmessung mit LoRaWAN",
        slug="pegelmessung-mit-lorawan",
        topics=[topic],
        is_software=True,
        repository_url="https://git.example/koblenz/pegel",
    )
    public_profile.contacts.add(world.contact_a)
    internal = ProjectFactory(
        municipality=world.municipality_a,
        title="Interne Laternenauswertung",
        slug="interne-laternenauswertung",
        summary="Vertrauliche Zwischenergebnisse der Laternen in Siegelbach.",
        topics=[topic],
    )
    document = ProjectDocument(project=internal, title="Auswertung")
    document.file.save("auswertung.pdf", ContentFile(tiny_pdf()), save=False)
    document.save()
    from projects.models import Reuse

    # B took up A's public project and waits for A's confirmation.
    reuse = Reuse.objects.create(
        project=public_profile,
        municipality=world.municipality_b,
        contact=world.contact_b,
        stage=Reuse.Stage.ADOPTING,
        lessons="Unsere unbestätigte Erfahrung mit den Gateways.",
    )
    world.objects["projects.reuse"] = reuse
    world.secrets["Unsere unbestätigte Erfahrung"] = set(MEMBERS)
    world.objects["projects.public"] = public_profile
    world.objects["projects.internal"] = internal
    world.objects["projects.document"] = document
    world.secrets["Vertrauliche Zwischenergebnisse"] = set(MEMBERS)
    world.secrets[world.contact_a.email] = set(MEMBERS)


def public_profile(world):
    return {"slug": world.objects["projects.public"].slug}


def internal(world):
    return {"slug": world.objects["projects.internal"].slug}


def reuse(world):
    return {"pk": world.objects["projects.reuse"].pk}


def document(world):
    return {**internal(world), "pk": world.objects["projects.document"].pk}


EXPECTATIONS = {
    "projects:list": public(),
    "projects:topics": public(),
    "projects:topic": public(kwargs=lambda world: {"slug": "sensornetzwerke"}),
    "projects:api_list": public(),
    "projects:api_schema": public(),
    "projects:create": members_only(),
    "projects:detail": public(kwargs=public_profile),
    "projects:edit": Expect(LOGIN, 200, 403, 200, kwargs=internal),
    "projects:submit": Expect(LOGIN, 405, 405, 405, kwargs=internal),
    "projects:document": Expect(LOGIN, 200, 200, 200, kwargs=document),
    "projects:ask": members_only(),
    "projects:publiccode_import": members_only(),
    "projects:publiccode_export": public(kwargs=public_profile),
    "projects:ask_consent": Expect(LOGIN, 200, 200, 403),  # a contact person's own choice
    # POST only; the forms sit on the profile page
    "projects:reuse_record": Expect(LOGIN, 405, 405, 405, kwargs=public_profile),
    "projects:reuse_confirm": Expect(LOGIN, 405, 405, 405, kwargs=reuse),
    "projects:reuse_decline": Expect(LOGIN, 405, 405, 405, kwargs=reuse),
}

# The members-only profile page itself (a 404 for visitors) is tested in test_pages.py: the
# matrix has one entry per URL name, taken by the public profile.
