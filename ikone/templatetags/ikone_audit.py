"""``{% object_audit obj as audit %}``: the audit trail of one object (admin History page)."""

from django import template

from ikone.admin import object_audit as _object_audit

register = template.Library()


@register.simple_tag
def object_audit(obj) -> dict:
    return _object_audit(obj)
