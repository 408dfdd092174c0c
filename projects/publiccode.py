"""``publiccode.yml``: the standard metadata of public-sector software (publiccode.net).

Import fills the fields of a new profile from a file a member uploads or pastes; nothing is
stored before the member has looked at the form and saved it. Export writes the
``publiccode.yml`` of a public software profile, with ``usedBy`` taken from the owning
municipality and the reuse its source confirmed — the verified version of a field the
standard leaves as free text.
"""

from __future__ import annotations

from typing import Any

import yaml
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .models import ProjectProfile, Reuse, Stage
from .services.profiles import ProjectError

# developmentStatus → stage, and back (the first stage of each status is its export value)
STATUS_TO_STAGE = {
    "concept": Stage.IDEA,
    "development": Stage.IMPLEMENTATION,
    "beta": Stage.IMPLEMENTATION,
    "stable": Stage.OPERATION,
    "obsolete": Stage.COMPLETED,
}
STAGE_TO_STATUS = {
    Stage.IDEA: "concept",
    Stage.PLANNING: "concept",
    Stage.IMPLEMENTATION: "development",
    Stage.OPERATION: "stable",
    Stage.COMPLETED: "stable",
    Stage.STOPPED: "obsolete",
}
LANGUAGES = ("de", "en", "it")


def _text(value, limit: int) -> str:
    return str(value).strip()[:limit] if isinstance(value, str | int | float) else ""


def parse(raw: bytes | str) -> dict[str, Any]:
    """The fields of a profile from a ``publiccode.yml``; raises ``ProjectError``."""
    limit = settings.IKONE_PUBLICCODE_MAX_BYTES
    size = len(raw.encode() if isinstance(raw, str) else raw)
    if size > limit:
        raise ProjectError(
            _("The file is too large (%(size)s). The limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            field="publiccode",
        )
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ProjectError(_("The file is not UTF-8 text."), field="publiccode") from None
    raw = raw.replace("\x00", "")
    try:
        data = yaml.safe_load(raw)
    except (yaml.YAMLError, RecursionError):  # a parse error, or brackets nested too deep
        raise ProjectError(
            _("This is not valid YAML. Please check the indentation and the colons."),
            field="publiccode",
        ) from None
    except ValueError:  # YAML itself, but a value no date or number can hold (2026-13-45)
        raise ProjectError(
            _(
                "The file contains a value that cannot be read, such as an impossible date. "
                "Please write dates as YYYY-MM-DD, e.g. 2026-03-31."
            ),
            field="publiccode",
        ) from None
    if not isinstance(data, dict) or "publiccodeYmlVersion" not in data or not data.get("name"):
        raise ProjectError(
            _(
                "This is YAML, but not a publiccode.yml: it needs at least "
                "“publiccodeYmlVersion” and “name”."
            ),
            field="publiccode",
        )
    descriptions = data.get("description") if isinstance(data.get("description"), dict) else {}
    language = next((code for code in LANGUAGES if isinstance(descriptions.get(code), dict)), None)
    if language is None:
        language = next((k for k, v in descriptions.items() if isinstance(v, dict)), None)
    description = descriptions.get(language, {}) if language else {}
    long_text = _text(description.get("longDescription", ""), 20_000)
    features = description.get("features") or []
    if isinstance(features, list) and features:
        items = "\n".join(f"- {_text(feature, 300)}" for feature in features[:30] if feature)
        long_text = f"{long_text}\n\n{items}".strip()
    legal = data.get("legal") if isinstance(data.get("legal"), dict) else {}
    links = []
    for key in ("landingURL", "roadmap"):
        url = _text(data.get(key, ""), 500)
        if url.startswith(("https://", "http://")):
            links.append(url)
    return {
        "title": _text(data.get("name"), 200),
        "summary": _text(description.get("shortDescription", ""), 600),
        "description": long_text,
        "stage": STATUS_TO_STAGE.get(_text(data.get("developmentStatus", ""), 20), ""),
        "repository_url": _text(data.get("url", ""), 200),
        "software_license": _text(legal.get("license", ""), 100),
        "software_version": _text(data.get("softwareVersion", ""), 50),
        "links": "\n".join(links),
        "is_software": True,
    }


def export(project: ProjectProfile, *, base_url: str) -> str:
    """The ``publiccode.yml`` of a public software profile."""
    users = [project.municipality.name]
    users += [
        reuse.municipality.name
        for reuse in project.reuses.filter(
            confirmation=Reuse.Confirmation.CONFIRMED, stage=Reuse.Stage.ADOPTED
        ).select_related("municipality")
    ]
    document: dict[str, Any] = {
        "publiccodeYmlVersion": "0.4",
        "name": project.title,
        "url": project.repository_url,
        "landingURL": base_url + project.get_absolute_url(),
        "softwareVersion": project.software_version or None,
        "releaseDate": project.updated_at.date().isoformat(),
        "platforms": ["web"],
        "categories": [],
        "usedBy": users,
        "developmentStatus": STAGE_TO_STATUS.get(project.stage, "development"),
        "softwareType": "standalone/web",
        "description": {
            "de": {
                "shortDescription": project.summary[:150],
                "longDescription": project.description,
            }
        },
        "legal": {"license": project.software_license or None},
        "maintenance": {"type": "internal", "contacts": [{"name": project.municipality.name}]},
        "localisation": {"localisationReady": False, "availableLanguages": ["de"]},
    }
    document = {key: value for key, value in document.items() if value is not None}
    document["legal"] = {k: v for k, v in document["legal"].items() if v is not None}
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
