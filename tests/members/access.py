"""Access expectations of the member network's pages (see tests/security/access.py)."""

from tests.security.access import LOGIN, Expect, members_only, public


def setup(world):
    contact = world.contact_a
    # Contact data: members and coordinators only, never the public.
    world.secrets[contact.email] = {"member_a", "member_b", "coordinator"}
    world.secrets[contact.phone] = {"member_a", "member_b", "coordinator"}


def municipality_a(world):
    return {"slug": world.municipality_a.slug}


EXPECTATIONS = {
    "members:municipality_list": public(),
    "members:municipality": public(kwargs=municipality_a),
    "members:municipality_topics": Expect(LOGIN, 200, 403, 200, kwargs=municipality_a),
    "members:apply": public(),
    "members:apply_done": public(),
    "members:accept_invitation": Expect(
        400, 400, 400, 400, kwargs=lambda w: {"uidb64": "MQ", "token": "invalid-token"}
    ),
    "members:area": members_only(),
    # coordinators have no contact record of their own
    "members:profile": Expect(LOGIN, 200, 200, 403),
    "members:directory": members_only(),
    "members:directory_csv": members_only(),
    "members:directory_vcard": members_only(),
    "members:mail_preferences": Expect(LOGIN, 200, 200, 403),
}
