from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.core.todo import OFFICER, TodoItem
from dangjian.duty.selectors import unrated_items


def todo_items(user) -> list[TodoItem]:
    if not user.is_authenticated:
        return []
    seen, items = set(), []
    for item in unrated_items(user)[:200]:
        if item.duty_list_id in seen:
            continue
        seen.add(item.duty_list_id)
        items.append(TodoItem(title=_("Responsibility items to rate: %(l)s") % {"l": item.duty_list},
                              url=reverse("duty:detail", args=[item.duty_list_id]), area=_("Responsibility lists"), actor=OFFICER))
        if len(items) >= 20:
            break
    return items
