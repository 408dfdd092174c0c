"""The one error type services raise when a rule forbids a change."""


class DomainError(Exception):
    """A business rule was broken; ``message`` is translated and fit to show a person."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)
