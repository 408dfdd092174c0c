"""The domain errors of circular letters."""

from ikone.errors import DomainError


class CircularError(DomainError):
    """A rule of circular letters forbids the change."""


class InvalidReplyLink(CircularError):
    """The reply link is tampered with, expired or belongs to another circular."""
