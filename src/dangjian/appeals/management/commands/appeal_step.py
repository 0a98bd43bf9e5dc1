from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from dangjian.accounts.models import User
from dangjian.appeals.models import Appeal
from dangjian.appeals.services import appeal_transition, normalise_code


class Command(BaseCommand):
    help = "Take one workflow step on an appeal as a given user (for operators; same rules as the pages)."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("step")
        parser.add_argument("--user", required=True)
        parser.add_argument("--note", default="")
        parser.add_argument("--resolution", default="")
        parser.add_argument("--assignee-kind", default="")
        parser.add_argument("--assignee-name", default="")

    def handle(self, *args, **o):
        user = User.objects.filter(username=o["user"], is_active=True).first()
        appeal = Appeal.objects.filter(tracking_code=normalise_code(o["code"])).first()
        if user is None or appeal is None:
            raise CommandError("no such user or appeal")
        data = {"note": o["note"], "resolution": o["resolution"],
                "assignee_kind": o["assignee_kind"], "assignee_name": o["assignee_name"]}
        try:
            appeal = appeal_transition(appeal=appeal, step=o["step"], by=user, data=data)
        except Appeal.DoesNotExist as exc:
            raise CommandError("no such user or appeal") from exc
        except ValidationError as exc:
            raise CommandError("; ".join(m for ms in exc.message_dict.values() for m in ms)) from exc
        self.stdout.write(f"{appeal.tracking_code}: {appeal.state}")
