"""Admin building blocks shared by the apps."""

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


class _ReadableValues:
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, self._readable(value), attr)

    def _readable(self, values) -> list:
        key = self.field.target_field  # the related model's key (or ``to_field``)
        readable = []
        for value in values:
            try:
                key.to_python(value)
            except (ValidationError, TypeError, ValueError):
                continue
            readable.append(value)
        return readable


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
