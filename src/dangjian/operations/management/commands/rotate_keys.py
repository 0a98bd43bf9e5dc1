"""`python -m dangjian.manage rotate_keys [--new-keys | --finish] [--batch N] [--steps N]`.

1. `--new-keys`: new keys into var/secrets.json, the old ones kept as previous; restart web and worker.
2. (no option): re-encrypt every identifier and rebuild every blind index under the current keys,
   resumably (run it again after an interruption: it goes on where it stopped).
3. `--finish`: drop the previous keys once step 2 finished; restart. docs/operations.md.
"""

from django.core.management.base import BaseCommand, CommandError

from dangjian.operations.keys import RotationError, keys_finish, keys_new, keys_rotate


class Command(BaseCommand):
    help = "Rotate the keys that protect identifiers (new keys, re-encrypt and re-index, finish)."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--new-keys", action="store_true", help="Generate new keys (key file only).")
        group.add_argument("--finish", action="store_true", help="Forget the previous keys.")
        parser.add_argument("--batch", type=int, default=1000, help="Rows per transaction.")
        parser.add_argument("--steps", type=int, default=None, help="Stop after this many batches (resume later).")

    def handle(self, *args, new_keys, finish, batch, steps, **options):
        try:
            if new_keys:
                keys_new()
                self.stdout.write("new keys written, the old ones kept as previous: restart the web and worker "
                                  "processes, then run rotate_keys")
                return
            if finish:
                keys_finish()
                self.stdout.write("previous keys forgotten: restart the web and worker processes")
                return
            result = keys_rotate(batch=batch, limit=steps,
                                 progress=lambda label, last, n: self.stdout.write(f"{label}: up to {last} ({n} rows)"))
        except RotationError as exc:
            raise CommandError(str(exc)) from exc
        state = "finished: run rotate_keys --finish" if result.finished else "stopped: run rotate_keys again to go on"
        self.stdout.write(f"{result.rewritten} rows re-encrypted; {state}")
