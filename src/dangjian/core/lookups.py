"""`path__subtree=P`: nodes whose materialised path starts with P, index-friendly.

PostgreSQL serves LIKE 'P%' from the varchar_pattern_ops index Django creates
for the path column. SQLite's LIKE is case-insensitive and skips a binary
index, so there the same test is written as a range: P <= path < P + '~'
(paths use 0-9A-Z only, all below '~' in binary order).
"""

from django.db.models import CharField, Lookup


@CharField.register_lookup
class Subtree(Lookup):
    lookup_name = "subtree"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs_value = str(self.rhs)
        escaped = rhs_value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return f"{lhs} LIKE %s", [*lhs_params, escaped + "%"]

    def as_sqlite(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        value = str(self.rhs)
        return f"({lhs} >= %s AND {lhs} < %s)", [*lhs_params, value, *lhs_params, value + "~"]
