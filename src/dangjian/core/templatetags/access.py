"""Template helpers every page shares.

`{% if user|opens:"appeals:new" %}`: show a button only to whom its page opens (core.menu).
`{{ value|shown }}`: a value as people read it (是/否, dates, nothing for None): core.text.shown.
"""

from django import template

from dangjian.core import menu
from dangjian.core.text import shown as _shown

register = template.Library()


@register.filter
def opens(user, url_name: str) -> bool:
    return menu.opens(user, url_name)


@register.filter
def shown(value):
    return _shown(value)
