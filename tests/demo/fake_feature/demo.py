from dangjian.orgs.models import Tag

CALLS: list[dict] = []


def seed(*, rng, today, log):
    CALLS.append({"draw": rng.random(), "today": today})
    Tag.objects.create(name="演示功能标签")
    log("  fake feature seeded")
