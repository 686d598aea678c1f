from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe

from seedbed import policy
from seedbed.lib.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> str:
    # Safe: render_markdown passes everything through nh3's allow-list.
    return mark_safe(render_markdown(text))  # noqa: S308


@register.simple_tag(takes_context=True)
def can(context, rule_name: str) -> bool:
    return policy.can(context["request"].user, rule_name)
