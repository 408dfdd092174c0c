"""Writes with rules of circular letters; callers import the module.

Every function takes keyword arguments, runs in one transaction, raises
:class:`~circulars.services.errors.CircularError` with a translated message when a rule
forbids the change, and queues its mail through the outbox so it leaves only after commit.
``sending`` writes and sends the letters, ``answers`` records the replies, ``links`` signs
and checks the personal links, ``errors`` holds the error types.
"""
