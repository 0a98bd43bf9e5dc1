"""The 25 steps of Party recruitment in 5 stages (《中国共产党发展党员工作细则》, 2014).

Each step names the steps it depends on (it may not be dated before them), the
materials kept for it, and the rule it applies. Time limits live in
RecruitRules (configurable); this module is the fixed structure. Names and
rules are lazy translations; the materials are stored by name on each Step
(and named so in the API), so they stay as the regulations word them.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

STAGES = {
    1: _("Application to join the Party"),
    2: _("Choosing and educating activists"),
    3: _("Choosing and vetting development candidates"),
    4: _("Admitting probationary members"),
    5: _("Educating probationary members and full membership"),
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
    StepDef(1, "application", 1, _("Submit the application to join the Party"), (), ("入党申请书",),
            _("Advanced elements of China's workers, peasants, soldiers, intellectuals and other social strata aged 18 or over apply to the Party organisation where they work or study")),
    StepDef(2, "talk", 1, _("Talk on behalf of the Party organisation"), ("application",), ("谈话记录",),
            _("Within a month of receiving the application, the Party organisation sends someone to talk with the applicant")),
    StepDef(3, "activist", 2, _("Recommend and choose activists"), ("talk",), ("党员推荐、群团组织推优材料", "支委会会议记录"),
            _("Candidates come from members' recommendations, nominations by mass organisations and the like; the branch committee decides")),
    StepDef(4, "activist_filing", 2, _("File the activist with the superior committee"), ("activist",), ("入党积极分子备案表",),
            _("Once chosen, the activist is filed with the superior Party committee")),
    StepDef(5, "mentors", 2, _("Appoint mentors"), ("activist",), ("培养联系人名单",),
            _("The Party organisation appoints one or two full members as the activist's mentors")),
    StepDef(6, "cultivation", 2, _("Educate and observe"), ("mentors",), ("入党积极分子培养教育考察登记表", "思想汇报"),
            _("The Party organisation assesses each activist every six months")),
    StepDef(7, "candidate", 3, _("Choose as a development candidate"), ("cultivation",), ("支委会会议记录", "听取意见材料"),
            _("An activist educated and observed for more than a year who basically meets a member's requirements may become a development candidate once the branch committee agrees and the superior committee has it on file")),
    StepDef(8, "candidate_filing", 3, _("File the candidate with the superior committee"), ("candidate",), ("发展对象备案表",),
            _("Once chosen, the development candidate is filed with the superior Party committee")),
    StepDef(9, "sponsors", 3, _("Choose sponsors"), ("candidate",), ("入党介绍人名单",),
            _("A development candidate has two full members as sponsors")),
    StepDef(10, "political_review", 3, _("Political review"), ("candidate",), ("政治审查综合材料",),
            _("Development candidates undergo a political review; no one is admitted without passing it")),
    StepDef(11, "training", 3, _("Intensive training"), ("candidate",), ("培训结业证书",),
            _("Development candidates attend a short intensive training, as a rule at least three days (or at least 24 class hours)"), "training"),
    StepDef(12, "committee_review", 4, _("Review by the branch committee"), ("sponsors", "political_review", "training"),
            ("支委会审查意见",), _("The branch committee reviews the candidate strictly and, once it collectively finds them qualified, refers them to the grassroots committee with approval authority for a preliminary review")),
    StepDef(13, "pre_review", 4, _("Preliminary review by the superior committee"), ("committee_review",), ("预审意见", "入党志愿书发放记录"),
            _("The grassroots Party committee reviews the candidate's qualifications, education and observation")),
    StepDef(14, "application_form", 4, _("Fill in the application form"), ("pre_review",), ("入党志愿书",),
            _("A candidate who passed the preliminary review fills in the application form with the sponsors' guidance")),
    StepDef(15, "branch_vote", 4, _("Discussion at the branch general meeting"), ("application_form",), ("支部大会会议记录", "支部大会决议"),
            _("More than half of the members entitled to vote must be present; the resolution to admit a probationary member passes only when more than half of the full members entitled to vote are in favour"),
            "vote"),
    StepDef(16, "superior_talk", 4, _("Talk on behalf of the superior committee"), ("branch_vote",), ("谈话记录",),
            _("Before approving, the grassroots committee sends a committee member or organiser to talk with the candidate")),
    StepDef(17, "approval", 4, _("Approval by the superior committee"), ("superior_talk",), ("党委审批意见",),
            _("The grassroots committee decides on the branch's resolution to admit a probationary member within three months"), "approval"),
    StepDef(18, "approval_filing", 4, _("Filing with the organisation department above the superior committee"), ("approval",), ("备案材料",),
            _("After approval, the grassroots committee files it with the organisation department of the committee above")),
    StepDef(19, "assignment", 5, _("Assign to a branch and a Party group"), ("approval",), ("编组记录",),
            _("The branch promptly assigns the probationary member to a Party group")),
    StepDef(20, "oath", 5, _("Admission oath"), ("approval",), ("入党宣誓记录",),
            _("The probationary member takes the admission oath facing the Party flag")),
    StepDef(21, "continued_education", 5, _("Continued education and observation"), ("approval",), ("预备党员考察表",),
            _("The Party organisation continues to educate and observe the probationary member")),
    StepDef(22, "full_application", 5, _("Application for full membership"), ("approval",), ("转正申请书",),
            _("When the probation ends, the probationary member applies in writing for full membership")),
    StepDef(23, "full_vote", 5, _("Full membership at the branch general meeting"), ("full_application",), ("支部大会会议记录", "转正决议"),
            _("When the probation ends, the branch promptly discusses full membership; probation lasts a year and may be extended once, by at least six months and at most a year"),
            "vote"),
    StepDef(24, "full_approval", 5, _("Approval of full membership by the superior committee"), ("full_vote",), ("党委审批意见",),
            _("The grassroots committee decides on the branch's resolution on full membership within three months"), "approval"),
    StepDef(25, "archive", 5, _("Filing the materials"), ("full_approval",), ("入党志愿书及全部入党材料",),
            _("The admission materials are promptly filed in the member's personnel file")),
)

BY_CODE = {s.code: s for s in STEPS}
CODES = tuple(s.code for s in STEPS)


def step_def(code: str) -> StepDef:
    return BY_CODE[code]
