"""Admin building blocks shared by the apps."""

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


def _readable_keys(key, values) -> list:
    """The ``values`` the key field ``key`` can read; the others name no row."""
    readable = []
    for value in values:
        try:
            key.to_python(value)
        except (ValidationError, TypeError, ValueError):
            continue
        readable.append(value)
    return readable


class _ReadableValues:
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, self._readable(value), attr)

    def _readable(self, values) -> list:
        # the related model's key (or ``to_field``)
        return _readable_keys(self.field.target_field, values)


class ReadableAutocompleteSelect(_ReadableValues, AutocompleteSelect):
    pass


class ReadableAutocompleteSelectMultiple(_ReadableValues, AutocompleteSelectMultiple):
    pass


class ReadableAutocompleteMixin:
    """Autocompletes that survive a posted value which is no key, for ``ModelAdmin`` and
    inline classes with ``autocomplete_fields`` (``TabularInline`` below has it).

    Django's ``AutocompleteSelect`` shows the chosen option again when a form comes back
    with errors, by looking up the posted values as keys: ``municipality=abc`` (a stale form,
    a hand-made request) made that lookup raise ``ValueError`` while the page was rendered,
    a 500 instead of the form's own "Select a valid choice". These widgets look up only the
    values their key field can read; the field's validation reports the rest as usual.
    """

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = ReadableAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = ReadableAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ReadableActionsMixin:
    """Actions on a list that survive a selection which is no key, for ``ModelAdmin``.

    Django filters the list by the posted ``_selected_action`` values as they are:
    ``_selected_action=abc`` (a hand-made request, a tampered form) raised ``ValueError`` in
    that filter, a 500 for every action on every list, ``delete_selected`` included. The
    values the model's key cannot read are dropped first: they select no row, and a selection
    left empty gets Django's own "Items must be selected" message.
    """

    def response_action(self, request, queryset):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        readable = _readable_keys(self.model._meta.pk, selected)
        if readable != selected:
            post = request.POST.copy()
            post.setlist(helpers.ACTION_CHECKBOX_NAME, readable)
            request.POST = post
        return super().response_action(request, queryset)


class ModelAdmin(ReadableAutocompleteMixin, ReadableActionsMixin, admin.ModelAdmin):
    """The portal's base for every list in the admin: autocompletes and actions that answer
    a posted value which is no key with a message, not a 500."""


class TabularInline(ReadableAutocompleteMixin, admin.TabularInline):
    """A tabular inline whose help texts reach every row, not only a header icon (and whose
    autocompletes survive a value which is no key).

    Django's tabular rows render no help-text element, yet each widget with a help text gets
    ``aria-describedby="…_helptext"`` pointing at it: a dangling reference in every row. Here
    the help text becomes the widget's ``title`` (shown on hover, read as its description)
    and is taken off the field, so no reference to a missing element is written.
    """

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        for field in formset.form.base_fields.values():
            if field.help_text:
                field.widget.attrs.setdefault("title", str(field.help_text))
                field.help_text = ""
        return formset
