import io

from django.core.management import call_command

from dangjian.dues.models import Due
from tests.dues.conftest import set_base
from tests.factories import MemberFactory


def test_dues_generate_covers_every_branch_once(tree, member_a, member_b, config):
    set_base(member_a, "4000")
    MemberFactory(org=tree["branch_b"], employment="student")
    out = io.StringIO()
    call_command("dues_generate", "--month", "2025-03", stdout=out)
    assert "2025-03: 2 dues created, 1 members without a base" in out.getvalue()
    assert "李红梅" in out.getvalue()  # member_b has no base yet
    call_command("dues_generate", "--month", "2025-03", stdout=io.StringIO())
    assert Due.objects.count() == 2
