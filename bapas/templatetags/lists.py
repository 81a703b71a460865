"""Template tags of the list pages."""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def filter_select(field, all_label, codes=False):
    """A list filter's select: "all" first, then the field's choices (a model field's: one query), the
    chosen one selected; codes=True shows the values instead of the labels.
        {% filter_select form.kind _("Semua") %}
    Built here rather than by walking the bound field's options in the template: there each option
    is a subwidget with attributes of its own, and a filter form with an officer list cost the
    register more than its SQL."""
    chosen = field.value()
    chosen = {str(value) for value in chosen} if isinstance(chosen, (list, tuple)) else {"" if chosen is None else str(chosen)}
    options = ((str(value), label) for value, label in field.field.choices)
    return format_html(
        '<select class="form-select" name="{}" id="{}"><option value="">{}</option>{}</select>',
        field.html_name, field.id_for_label, all_label,
        format_html_join("", '<option value="{}"{}>{}</option>', (
            (value, " selected" if value in chosen else "", value if codes else label)
            for value, label in options if value != "")),
    )


@register.simple_tag
def filter_errors(form):
    """What a list's filters could not use, said above the results: a link to a PK who has since left,
    say, is ignored by the filter, and the list must not read as that PK's. Nothing when all is well.
        {% filter_errors form %}"""
    if not form.errors:
        return ""
    return format_html('<div class="alert alert-warning py-2" role="status" data-testid="filter-errors">{}</div>',
                       format_html_join(" ", "{}", ((message,) for errors in form.errors.values() for message in errors)))
