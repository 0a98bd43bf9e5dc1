from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.todo import OFFICER, TodoItem
from dangjian.surveys.selectors import open_rounds


def todo_items(user) -> list[TodoItem]:
    if not user.is_authenticated:
        return []
    return [
        TodoItem(title=_("Evaluation open: %(t)s (%(n)s responses)") % {"t": r.title, "n": r.n_responses},
                 url=reverse("surveys:round", args=[r.pk]), due=timezone.localtime(r.closes_at).date().isoformat(),
                 area=_("Democratic evaluation"), actor=OFFICER)
        for r in open_rounds(user)[:20]
    ]
