"""Every write on project profiles that has rules, by subdomain; callers import the module:
``profiles`` (saving, the review for the public, reminders; ``ProjectError``), ``reuse``
(Nachnutzung) and ``asking`` (*Wen fragen?*).
"""
