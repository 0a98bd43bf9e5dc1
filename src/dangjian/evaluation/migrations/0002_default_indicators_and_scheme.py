"""Seed the default indicator set and the default grading scheme (data only)."""

from django.db import migrations

# code (= metric code), name, dimension, unit, explanation
INDICATORS = [
    ("meeting_attendance_rate", "会议出勤率", "cohesion", "%", "已召开的组织生活会议中，党员实际到会的人次占应到人次的比例。越高说明党员越愿意参加组织生活。"),
    ("dues_on_time_rate", "党费按月交纳率", "cohesion", "%", "每月应交的党费中，在当月月底前交纳的比例。按时交纳党费是党员意识的直接体现。"),
    ("appraisal_good_rate", "民主评议合格率", "cohesion", "%", "年度民主评议党员中评为优秀或合格的党员所占比例。"),
    ("volunteer_hours_per_member", "人均志愿服务时长", "cohesion", "小时", "党员参加志愿服务的总时长除以在册党员人数。"),
    ("appeal_response_rate", "诉求响应率", "influence", "%", "群众诉求中在受理时限（默认 24 小时）内得到响应的比例。"),
    ("appeal_resolution_rate", "诉求解决率", "influence", "%", "本期收到的群众诉求中已经办结的比例。"),
    ("appeal_satisfaction_rate", "群众满意率", "influence", "%", "群众对办理结果作出评价的诉求中，评价满意或基本满意的比例。"),
    ("appeal_on_time_rate", "诉求按时办结率", "influence", "%", "已办结的诉求中在办理时限（默认 7 天，复杂诉求 15 天）内办结的比例。"),
    ("visits_per_member", "人均走访次数", "influence", "次", "登记的入户走访和走访党员次数除以在册党员人数，反映联系服务群众的力度。"),
    ("meeting_compliance_rate", "三会一课按期召开率", "capacity", "%", "按规定频次应召开的支部党员大会、支委会、党小组会、党课等会议中，按期召开的比例。"),
    ("committee_term_ok_rate", "班子健全与按期换届率", "capacity", "%", "应设班子的组织中，班子任期未满、按期换届的组织所占比例。"),
    ("project_target_rate", "项目目标完成率", "capacity", "%", "党建项目中本期到期的目标，实际完成值达到目标值的比例。"),
    ("duty_score_rate", "责任清单得分率", "capacity", "%", "责任清单各事项实际得分之和占满分之和的比例。"),
    ("recruitment_on_schedule_rate", "发展党员按期率", "capacity", "%", "发展党员各步骤中没有超出规定时限的比例。"),
    ("rectification_on_time_rate", "整改按期完成率", "capacity", "%", "本期到期的整改任务中，按期提交并经上级验收通过的比例。"),
]


def seed(apps, schema_editor):
    Indicator = apps.get_model("evaluation", "Indicator")
    GradingScheme = apps.get_model("evaluation", "GradingScheme")
    for i, (code, name, dim, unit, text) in enumerate(INDICATORS):
        Indicator.objects.get_or_create(code=code, defaults={
            "name": name, "dimension": dim, "metric_code": code, "direction": "higher", "unit": unit,
            "explanation": text, "order": 10 * (i + 1)})
    if not GradingScheme.objects.exists():
        GradingScheme.objects.create(
            name="先进 / 良好 / 一般 / 后进", mode="levels", is_default=True,
            thresholds=[[85, "advanced"], [70, "good"], [60, "average"], [0, "lagging"]], caps={"advanced": 0.3})
        GradingScheme.objects.create(
            name="五星评定", mode="stars", is_default=False,
            thresholds=[[90, "5"], [80, "4"], [70, "3"], [60, "2"], [0, "1"]], caps={"5": 0.3})


def unseed(apps, schema_editor):
    apps.get_model("evaluation", "Indicator").objects.filter(code__in=[r[0] for r in INDICATORS]).delete()
    apps.get_model("evaluation", "GradingScheme").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_indicators_periods_snapshots")]
    operations = [migrations.RunPython(seed, unseed)]
