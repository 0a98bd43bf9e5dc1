"""The rule tables as the regulations state them: typed from the texts, never read from the code.

Each table names its source. Tests compare the code's defaults and its rules
at every edge against these, so a wrong constant in the code cannot also be
the test's expectation.
"""

from decimal import Decimal

# 《关于中国共产党党费收缴、使用和管理的规定》(中组发〔2008〕3号) 一(二)、(三):
# 在职党员 "每月工资收入（税后）在3000元以下（含3000元）者，交纳月工资收入的0.5%；
# 3000元以上至5000元（含5000元）者，交纳1%；5000元以上至10000元（含10000元）者，交纳1.5%；
# 10000元以上者，交纳2%。" 离退休干部、职工 "月离退休费收入（税后）在5000元以下（含5000元）的
# 按0.5%交纳党费，5000元以上的按1%交纳党费。"
# (upper bound in yuan, inclusive, or None for "above"; rate in percent)
DUES_EMPLOYED = [(Decimal("3000"), Decimal("0.5")), (Decimal("5000"), Decimal("1")),
                 (Decimal("10000"), Decimal("1.5")), (None, Decimal("2"))]
DUES_RETIRED = [(Decimal("5000"), Decimal("0.5")), (None, Decimal("1"))]
# 一(五): 学生党员、下岗失业党员、依靠抚恤或救济生活的党员、领取当地最低生活保障金的党员 "每月交纳党费0.2元"；
# 一(四): 农民党员 "每月交纳党费0.2元至1元".
DUES_FIXED_MIN, DUES_FIXED_MAX = Decimal("0.20"), Decimal("1.00")

# 《中国共产党发展党员工作细则》(2014):
# 第五条 年满十八岁 ... 可以申请; 第七条 党组织应当在收到入党申请书后一个月内派人同入党申请人谈话;
# 第十二条 入党积极分子 ... 经过一年以上培养教育和考察; 第十九条 集中培训 ... 一般不少于3天（或不少于24个学时）;
# 第二十七条 上级党委 ... 应当在三个月内审批; 第三十三条 预备党员的预备期为一年;
# 第三十五条 延长预备期 ... 可以延长一次预备期，延长时间不能少于半年，最长不超过一年.
RECRUITMENT = {
    "min_age": 18, "talk_within_months": 1, "activist_min_months": 12, "training_min_days": 3,
    "training_min_hours": 24, "approval_within_months": 3, "probation_months": 12,
    "extension_min_months": 6, "extension_max_months": 12,
}

# 《中国共产党基层组织选举工作条例》(2020):
# 第十九条 "有选举权的到会人数超过应到会人数的五分之四，会议有效";
# 第二十条 "被选举人获得的赞成票超过实到会有选举权的人数的一半，始得当选";
# 第十二条 候选人 "应多于应选人数的20%" (差额选举).
ELECTION_QUORUM = (4, 5)  # strictly more than 4/5 of those entitled
ELECTION_MAJORITY = (1, 2)  # strictly more than half of those present
ELECTION_SURPLUS_PERCENT = 20

# 《中国共产党发展党员工作细则》第二十五条: 表决 "赞成人数超过应到会有表决权的正式党员的半数，才能通过".
RECRUITMENT_VOTE = (1, 2)

# 《中国共产党基层组织选举工作条例》(2020) 第五条: "正式党员有表决权、选举权、被选举权。……预备党员没有表决权、
# 选举权和被选举权。" 差额: 候选人数 = 应选人数 + 应选人数 × 20%, "最终结果非整数时……应采用'进一法'"
# (e.g. 1.2 → 2 more). Worked by hand: {seats: fewest candidates}.
ELECTION_MIN_CANDIDATES = {1: 2, 2: 3, 3: 4, 4: 5, 5: 6, 6: 8, 7: 9, 10: 12, 11: 14, 15: 18}

# 中共中央办公厅《关于党的基层组织任期的意见》(2018) 一: "党的基层委员会每届任期一般为5年，党的总支部委员会、
# 支部委员会每届任期一般为3年，其中，村和社区党的委员会、总支部委员会、支部委员会每届任期为5年。"
TERM_YEARS = {"grassroots": 5, "general_branch": 3, "branch": 3, "community": 5,
              "community_branch": 5, "community_general_branch": 5}

# 《中国共产党支部工作条例（试行）》(2018) 第四条: "凡是有正式党员3人以上的，都应当成立党支部。党支部党员人数一般
# 不超过50人。" 第八条: "有正式党员7人以上的党支部，应当设立党支部委员会。党支部委员会由3至5人组成，一般不超过7人。
# ……正式党员不足7人的党支部，设1名书记，必要时可以设1名副书记。"
BRANCH_MIN_FULL, BRANCH_MAX = 3, 50
COMMITTEE_FROM_FULL, COMMITTEE_MIN, COMMITTEE_MAX, NO_COMMITTEE_MAX_SEATS = 7, 3, 7, 2

# 星级评定: 五星级党组织 "不超过参评党组织的30%" (the share, as county 星级化管理 schemes state it); the rounding is
# not in the texts and is a setting. Worked by hand, {organisations assessed: most five-star} for each rounding:
# 0.3 × n = 0.3, 0.6, 0.9, 1.2, 1.5, 1.8, 2.1, 3.0 (n = 1, 2, 3, 4, 5, 6, 7, 10).
FIVE_STAR_SHARE = 0.3
FIVE_STAR_MOST = {
    "half_up": {1: 0, 2: 1, 3: 1, 4: 1, 5: 2, 6: 2, 7: 2, 10: 3},
    "floor": {1: 0, 2: 0, 3: 0, 4: 1, 5: 1, 6: 1, 7: 2, 10: 3},
    "ceil": {1: 1, 2: 1, 3: 1, 4: 2, 5: 2, 6: 2, 7: 3, 10: 3},
}

# --- Issue 15 (membership): typed from the texts cited in core/references.py ARTICLES ---
# 细则第四章: "因故不能到会的有表决权的党员, 在讨论前正式向党支部提出书面意见的, 应当统计在票数内";
# 到会 "必须超过应到会有表决权人数的半数" (the written opinions do not make the meeting quorate).
RECRUITMENT_QUORUM = (1, 2)  # strictly more than half of those entitled present

# 党章第一条 / 细则第五条: 年满十八岁 may apply; 细则第三章: 一年以上 as activist → joined at 19 at the earliest.
JOIN_MIN_AGE_YEARS = 18 + 1
# 党章第七条: 预备期为一年; 细则第三十二条: 延长一次, 不能少于半年, 最长不超过一年.
# The full-membership date, in months after joining, may be exactly these:
FULL_MEMBER_MONTHS = {12} | set(range(12 + 6, 12 + 12 + 1))

# 2008 党费规定 一、第六条: 学生、下岗失业、依靠抚恤或救济生活、领取最低生活保障金的党员 "每月交纳党费0.2元";
# 农民党员 "每月交纳党费0.2元至1元".
DUES_SPECIAL_AMOUNT = Decimal("0.20")
DUES_FARMER_MIN, DUES_FARMER_MAX = Decimal("0.20"), Decimal("1.00")

# 党章第九条: "连续六个月不参加党的组织生活, 或不交纳党费, 或不做党所分配的工作" → 自行脱党.
LAPSE_MONTHS = 6

# 《中国共产党支部工作条例(试行)》第十九条: 书记 "每年至少讲一次党课"; 第二十一条: 谈心谈话 "每年...一般不少于1次".
SECRETARY_LECTURES_PER_YEAR = 1
TALKS_PER_YEAR = 1

# 民主评议党员 (ARTICLES["member.unqualified"]): 对评为不合格的党员 "限期改正 (一般为半年至一年)、劝其退党或除名".
UNQUALIFIED_CORRECT_MONTHS = (6, 12)  # both ends allowed
# 《中国共产党章程》第九条: "连续六个月不参加党的组织生活, 或不交纳党费, 或不做党所分配的工作".
LAPSE_MONTHS = 6
