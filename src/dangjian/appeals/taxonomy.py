"""The appeal taxonomy a new installation starts with: the first-level categories common to city
12345 hotlines (utilities, public facilities, urban management, markets and prices) and the ten the
platform had before, a few second-level ones, each with its usual handling unit and deadlines.

(code, name, parent code, default handling unit, accept within hours, resolve within days); None
keeps the installation's deadline. Migration 0005 seeds the same list (frozen there); this one fills
an empty table again after a flush (tests) through post_migrate.
"""

OTHER = "other"

SEED = [
    ("water", "供水", None, "自来水公司", 2, 3),
    ("power", "供电", None, "供电公司", 2, 3),
    ("gas", "燃气", None, "燃气公司", 1, 3),
    ("heating", "供暖", None, "热力公司", 4, 3),
    ("facilities", "公共设施", None, "市政设施管理所", None, 5),
    ("streetlight", "路灯", "facilities", "路灯管理所", None, 3),
    ("manhole", "井盖", "facilities", "市政设施管理所", 2, 2),
    ("road", "道路破损", "facilities", "市政设施管理所", None, 7),
    ("urban", "城市管理", None, "城管执法中队", None, None),
    ("stall", "占道经营", "urban", "城管执法中队", None, None),
    ("building", "违章搭建", "urban", "城管执法中队", None, 15),
    ("market", "市场价格", None, "市场监督管理所", None, None),
    ("price", "价格收费", "market", "市场监督管理所", None, None),
    ("food", "食品安全", "market", "市场监督管理所", 4, None),
    ("sanitation", "环境卫生", None, "城管环卫所", None, None),
    ("property", "物业管理", None, "社区物业办", None, None),
    ("traffic", "道路交通", None, "交通管理中队", None, None),
    ("noise", "噪音扰民", None, "城管执法中队", None, None),
    ("neighbour", "邻里纠纷", None, "人民调解委员会", None, None),
    ("elderly", "养老服务", None, "养老服务驿站", None, None),
    ("employment", "就业帮扶", None, "社区就业服务站", None, None),
    ("safety", "治安安全", None, "派出所社区警务室", None, None),
    ("repair", "房屋维修", None, "房管所", None, None),
    ("policy", "政策咨询", None, "党群服务中心", None, None),
    (OTHER, "其他", None, "党群服务中心", None, None),
]


def seed_rows(category_model, name_model, now) -> int:
    """Create the seed's categories in an empty table (history: their first names). Returns how many."""
    if category_model.objects.exists():
        return 0
    made = {}
    for position, (code, name, parent, unit, accept_hours, resolve_days) in enumerate(SEED, start=1):
        made[code] = category_model.objects.create(
            code=code, name=name, parent=made.get(parent), default_unit=unit, accept_hours=accept_hours,
            resolve_days=resolve_days, position=position * 10)
        name_model.objects.create(category=made[code], name=name, since=now)
    return len(made)
