from django.core.management.base import BaseCommand

from dangjian.departments.services import summonses_escalate


class Command(BaseCommand):
    help = "Escalate department summonses past their deadline (summoned departments that did not answer)."

    def handle(self, *args, **options):
        self.stdout.write(f"escalated {summonses_escalate()}")
