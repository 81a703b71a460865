"""Template tags of the list pages."""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def filter_select(field, all_label, codes=False):
    """A list filter's select: "all" first, then the field's choices (a model field's: one query), the
    chosen one selected, and a value it cannot filter by marked with the form's message; codes=True
    shows the values instead of the labels.
        {% filter_select form.kind _("Semua") %}
    Built here rather than by walking the bound field's options in the template: there each option
    is a subwidget with attributes of its own, and a filter form with an officer list cost the
    register more than its SQL."""
    chosen = field.value()
    chosen = {str(value) for value in chosen} if isinstance(chosen, (list, tuple)) else {"" if chosen is None else str(chosen)}
    options = ((str(value), label) for value, label in field.field.choices)
    select = format_html(
        '<select class="form-select{}" name="{}" id="{}"{}><option value="">{}</option>{}</select>',
        " is-invalid" if field.errors else "", field.html_name, field.id_for_label,
        format_html(' aria-describedby="{}_error"', field.id_for_label) if field.errors else "", all_label,
        format_html_join("", '<option value="{}"{}>{}</option>', (
            (value, " selected" if value in chosen else "", value if codes else label)
            for value, label in options if value != "")),
    )
    if not field.errors:
        return select
    # A value the list cannot filter by (a link to a PK who has since left, say) is ignored by the
    # filter; saying so keeps the user from reading the whole list as that PK's.
    return format_html('{}<div class="invalid-feedback" id="{}_error">{}</div>', select, field.id_for_label, " ".join(field.errors))
