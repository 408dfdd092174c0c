"""Admin building blocks shared by the apps."""

from django.contrib import admin


class TabularInline(admin.TabularInline):
    """A tabular inline whose help texts reach every row, not only a header icon.

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
