from django.core.management.base import BaseCommand

from dangjian.appeals.services import appeals_autoclose, appeals_escalate


class Command(BaseCommand):
    help = "Escalate overdue appeals to the parent organisation and close unrated resolved ones (run periodically)."

    def handle(self, *args, **options):
        escalated = appeals_escalate()
        closed = appeals_autoclose()
        self.stdout.write(f"escalated {escalated}, closed without rating {closed}")
