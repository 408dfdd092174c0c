from django import template

from ..results import current_topic_ranking

register = template.Library()


@register.simple_tag
def topic_ranking(limit=5):
    survey, rows = current_topic_ranking(limit=limit)
    return {"survey": survey, "rows": rows}
