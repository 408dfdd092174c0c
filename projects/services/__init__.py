"""Every write on project profiles that has rules, by subdomain: ``profiles`` (saving, the
review for the public, reminders), ``reuse`` (Nachnutzung) and ``asking`` (*Wen fragen?*).
"""

from .asking import (  # noqa: F401
    set_ask_consent,
    suggest_experts,
)
from .profiles import (  # noqa: F401
    MAX_DOCUMENTS,
    MAX_LINKS,
    RESERVED_SLUGS,
    NewDocument,
    ProjectData,
    ProjectError,
    archive_project,
    clean_links,
    owner_recipients,
    publish_project,
    return_project,
    save_project,
    send_update_reminders,
    submit_project,
)
from .reuse import (  # noqa: F401
    can_confirm_reuse,
    confirm_reuse,
    decline_reuse,
    record_reuse,
    update_reuse,
)
