"""Every write with rules about meetings, one module per subdomain; callers import the module.

``common`` (``MeetingError``, mail helpers), ``scheduling`` (dates, numbering, moving,
cancelling), ``invitations`` (invitations and the updates sent after a change),
``registration`` (places, workshops, waiting lists, guests, attendance), ``reminders`` (the
day before) and ``feeds`` (calendar feed tokens).
"""
