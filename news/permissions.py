"""Who may do what with posts. Plain functions, tested in one matrix."""

from members.permissions import contact_of, is_coordinator, is_member

from .models import Post


def can_write_posts(user) -> bool:
    return is_member(user) or is_coordinator(user)


def can_moderate(user) -> bool:
    return is_coordinator(user)


def posts_of(user):
    """The posts a user sees in "my area": their municipality's; all for coordinators."""
    if is_coordinator(user):
        return Post.objects.all()
    contact = contact_of(user)
    if contact is None:
        return Post.objects.none()
    return Post.objects.filter(municipality_id=contact.municipality_id)


def can_see_post(user, post: Post) -> bool:
    return posts_of(user).filter(pk=post.pk).exists() if post.pk else False


def can_edit_post(user, post: Post) -> bool:
    """Coordinators edit every post; members their municipality's drafts and returned posts."""
    if is_coordinator(user):
        return True
    contact = contact_of(user)
    return (
        contact is not None
        and post.municipality_id == contact.municipality_id
        and post.is_editable_by_member
    )


def can_archive_post(user, post: Post) -> bool:
    """Coordinators, and members for their own municipality's posts (withdraw a post)."""
    if is_coordinator(user):
        return True
    contact = contact_of(user)
    return contact is not None and post.municipality_id == contact.municipality_id
