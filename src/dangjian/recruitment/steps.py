"""The 25 steps of Party recruitment in 5 stages (《中国共产党发展党员工作细则》, 2014).

Each step names the steps it depends on (it may not be dated before them), the
materials kept for it, and the rule it applies. Time limits live in
RecruitRules (configurable); this module is the fixed structure.
"""

from dataclasses import dataclass

STAGES = {
    1: "申请入党",
    2: "入党积极分子的确定和培养教育",
    3: "发展对象的确定和考察",
    4: "预备党员的接收",
    5: "预备党员的教育考察和转正",
}


@dataclass(frozen=True)
class StepDef:
    number: int
    code: str
    stage: int
    name: str
    after: tuple[str, ...]
    materials: tuple[str, ...]
    rule: str
    kind: str = ""  # "", "vote", "approval", "training"


STEPS: tuple[StepDef, ...] = (
    StepDef(1, "application", 1, "递交入党申请书", (), ("入党申请书",),
            "年满十八岁的中国工人、农民、军人、知识分子和其他社会阶层的先进分子，向工作、学习所在单位党组织提出入党申请"),
    StepDef(2, "talk", 1, "党组织派人谈话", ("application",), ("谈话记录",),
            "党组织收到入党申请书后，应当在一个月内派人同入党申请人谈话"),
    StepDef(3, "activist", 2, "推荐和确定入党积极分子", ("talk",), ("党员推荐、群团组织推优材料", "支委会会议记录"),
            "采取党员推荐、群团组织推优等方式产生人选，由支部委员会研究决定"),
    StepDef(4, "activist_filing", 2, "上级党委备案", ("activist",), ("入党积极分子备案表",),
            "确定入党积极分子后，报上级党委备案"),
    StepDef(5, "mentors", 2, "指定培养联系人", ("activist",), ("培养联系人名单",),
            "党组织应当指定一至两名正式党员作为入党积极分子的培养联系人"),
    StepDef(6, "cultivation", 2, "培养教育考察", ("mentors",), ("入党积极分子培养教育考察登记表", "思想汇报"),
            "党组织对入党积极分子每半年进行一次考察"),
    StepDef(7, "candidate", 3, "确定发展对象", ("cultivation",), ("支委会会议记录", "听取意见材料"),
            "对经过一年以上培养教育和考察、基本具备党员条件的入党积极分子，经支部委员会讨论同意并报上级党委备案后，可列为发展对象"),
    StepDef(8, "candidate_filing", 3, "报上级党委备案", ("candidate",), ("发展对象备案表",),
            "确定发展对象后，报上级党委备案"),
    StepDef(9, "sponsors", 3, "确定入党介绍人", ("candidate",), ("入党介绍人名单",),
            "发展对象应当有两名正式党员作入党介绍人"),
    StepDef(10, "political_review", 3, "进行政治审查", ("candidate",), ("政治审查综合材料",),
            "对发展对象进行政治审查，未经政治审查或者政治审查不合格的，不能发展入党"),
    StepDef(11, "training", 3, "开展集中培训", ("candidate",), ("培训结业证书",),
            "对发展对象进行短期集中培训，培训时间一般不少于三天（或不少于二十四个学时）", "training"),
    StepDef(12, "committee_review", 4, "支部委员会审查", ("sponsors", "political_review", "training"),
            ("支委会审查意见",), "支部委员会对发展对象进行严格审查，经集体讨论认为合格后，报具有审批权限的基层党委预审"),
    StepDef(13, "pre_review", 4, "上级党委预审", ("committee_review",), ("预审意见", "入党志愿书发放记录"),
            "基层党委对发展对象的条件、培养教育情况等进行审查"),
    StepDef(14, "application_form", 4, "填写入党志愿书", ("pre_review",), ("入党志愿书",),
            "预审合格的发展对象，在入党介绍人指导下填写入党志愿书"),
    StepDef(15, "branch_vote", 4, "支部大会讨论", ("application_form",), ("支部大会会议记录", "支部大会决议"),
            "有表决权的到会人数必须超过应到会有表决权人数的半数；赞成人数超过应到会有表决权的正式党员的半数，才能通过接收预备党员的决议",
            "vote"),
    StepDef(16, "superior_talk", 4, "上级党委派人谈话", ("branch_vote",), ("谈话记录",),
            "基层党委审批前，应当指派党委委员或者组织员同发展对象谈话"),
    StepDef(17, "approval", 4, "上级党委审批", ("superior_talk",), ("党委审批意见",),
            "基层党委对支部上报的接收预备党员的决议，应当在三个月内审批", "approval"),
    StepDef(18, "approval_filing", 4, "再上一级党委组织部门备案", ("approval",), ("备案材料",),
            "基层党委审批后，报上级党委组织部门备案"),
    StepDef(19, "assignment", 5, "编入党支部和党小组", ("approval",), ("编组记录",),
            "党支部应当及时将预备党员编入党小组"),
    StepDef(20, "oath", 5, "入党宣誓", ("approval",), ("入党宣誓记录",),
            "预备党员必须面向党旗进行入党宣誓"),
    StepDef(21, "continued_education", 5, "继续教育考察", ("approval",), ("预备党员考察表",),
            "党组织对预备党员继续进行教育和考察"),
    StepDef(22, "full_application", 5, "提出转正申请", ("approval",), ("转正申请书",),
            "预备期满时，预备党员应当主动向党组织提出书面转正申请"),
    StepDef(23, "full_vote", 5, "支部大会讨论转正", ("full_application",), ("支部大会会议记录", "转正决议"),
            "预备党员预备期满，党支部应当及时讨论其能否转为正式党员；预备期为一年，可以延长一次，延长时间不能少于半年、最长不超过一年",
            "vote"),
    StepDef(24, "full_approval", 5, "上级党委审批转正", ("full_vote",), ("党委审批意见",),
            "基层党委对党支部上报的预备党员转正决议，应当在三个月内审批", "approval"),
    StepDef(25, "archive", 5, "材料归档", ("full_approval",), ("入党志愿书及全部入党材料",),
            "党员入党材料应当及时归档，存入党员档案"),
)

BY_CODE = {s.code: s for s in STEPS}
CODES = tuple(s.code for s in STEPS)


def step_def(code: str) -> StepDef:
    return BY_CODE[code]
