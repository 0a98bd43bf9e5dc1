"""`{% if user|opens:"appeals:new" %}`: show a button only to whom its page opens (core.menu)."""

from django import template

from dangjian.core import menu

register = template.Library()


@register.filter
def opens(user, url_name: str) -> bool:
    return menu.opens(user, url_name)
