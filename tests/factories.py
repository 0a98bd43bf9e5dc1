"""Test data builders. Orgs go through treebeard's API so paths are real."""

import datetime as dt
import itertools

import factory

from dangjian.accounts.models import RoleGrant, User
from dangjian.core import crypto
from dangjian.orgs.idnumber import make_id_number
from dangjian.orgs.models import Member, Org, OrgKind

_codes = itertools.count(1)
_seq = itertools.count(1)


def make_org(*, parent: Org | None = None, name: str | None = None, kind: str = OrgKind.BRANCH, **extra) -> Org:
    n = next(_codes)
    data = {"name": name or f"测试组织{n}", "code": extra.pop("code", f"T{n:05d}"), "kind": kind, **extra}
    return Org.objects.add_child(parent, data) if parent else Org.objects.add_root(data)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def grant(user: User, org: Org, role: str) -> RoleGrant:
    user.__dict__.pop("_scope_cache", None)
    return RoleGrant.objects.create(user=user, org=org, role=role)


def _unique_id_number(birth_date: dt.date, gender: str) -> str:
    # Sequence numbers carry the gender in their parity: step by two, move area every 500.
    n = next(_seq)
    return make_id_number(
        area=f"{110105 + n // 500}", birth_date=birth_date, sequence=2 * (n % 500), gender=gender
    )


class MemberFactory(factory.django.DjangoModelFactory):
    """Members written straight to the table (the service's rules are tested on their own)."""

    class Meta:
        model = Member
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"党员{n}")
    gender = "M"
    birth_date = dt.date(1980, 5, 17)
    joined_on = dt.date(2005, 7, 1)
    full_member_on = dt.date(2006, 7, 1)
    id_number = factory.LazyAttribute(
        lambda o: _unique_id_number(o.birth_date, o.gender)
    )
    id_number_index = factory.LazyAttribute(lambda o: crypto.blind_index(o.id_number))
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    phone_index = factory.LazyAttribute(lambda o: crypto.blind_index(o.phone))
    education = "bachelor"
