"""Example data for previews, tests and benchmarks: a poor household of four and its team."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

from app.printing.agreement import AgreementData
from app.printing.card import CardData
from app.printing.care_models import (
    DmFollowups,
    DmVisit,
    Drug,
    ExamSlipData,
    Finding,
    HtnFollowups,
    HtnVisit,
    LabResult,
    Patient,
    PhysicalExam,
    ReferralData,
)
from app.printing.models import DueService, FeeLine, Member, Team, TeamMember
from app.printing.settlement import SettlementFormData

TEAM = Team(
    name="红旗村家庭医生服务团队", number="TD-622923104-01", institution="城关镇卫生院",
    phone="0930-5212345",
    members=(
        TeamMember("团队长", "马建国", "主治医师（卫生院）", "13909301234"),
        TeamMember("家庭医生", "李秀兰", "执业助理医师", "13830912345"),
        TeamMember("护士", "王芳", "护师", "15193012345"),
        TeamMember("公卫医师", "赵明", "公共卫生医师", "13519301234"),
        TeamMember("乡村医生", "何永福", "乡村医生（红旗村卫生室）", "13993012345"),
    ))

MEMBERS = (
    Member("马福贵", "户主", "男", 67, "622923195703120013", "62292310420100017",
           ("65岁及以上老年人", "高血压患者", "建档立卡贫困人口")),
    Member("马桂英", "配偶", "女", 64, "622923196008150026", "62292310420100018",
           ("糖尿病患者", "建档立卡贫困人口")),
    Member("马小军", "子", "男", 38, "622923198601230035", "62292310420100019",
           ("建档立卡贫困人口", "残疾人")),
    Member("马欣怡", "孙女", "女", 5, "622923201904110048", "62292310420100020",
           ("0-6岁儿童", "建档立卡贫困人口")),
)

FEES = (
    FeeLine("基础包", "建立和更新健康档案、健康教育、预防接种、一般诊疗、电话健康咨询", "全户4人",
            medicare=Decimal("40.00"), public_health=Decimal("40.00"),
            finance=Decimal("0.00"), personal=Decimal("0.00")),
    FeeLine("老年人包", "每年一次健康体检（含血常规、尿常规、肝肾功能、血糖、心电图、B超）和中医体质辨识",
            "马福贵", medicare=Decimal("20.00"), public_health=Decimal("10.00"),
            finance=Decimal("10.00")),
    FeeLine("慢病包", "高血压、2型糖尿病每年不少于4次面对面随访，血压、空腹血糖监测，用药指导，长处方",
            "马福贵、马桂英", medicare=Decimal("60.00"), public_health=Decimal("20.00"),
            finance=Decimal("20.00")),
    FeeLine("残疾人包", "康复指导、辅助器具适配咨询、上门服务", "马小军",
            medicare=Decimal("20.00"), finance=Decimal("10.00")),
)


def sample_agreement(contract_no: str = "QY-622923104201-2024-0017") -> AgreementData:
    """The contract of the sample household."""
    return AgreementData(
        contract_no=contract_no, household_no="6229231042010001", signer="马福贵",
        address="甘肃省临夏回族自治州临夏县城关镇红旗村三社 17 号", phone="13893012345",
        members=MEMBERS, team=TEAM, fees=FEES, start=date(2024, 3, 1), end=date(2025, 2, 28),
        poverty_status="建档立卡贫困", signed_on=None)


SAMPLE_DUE = (
    DueService("马福贵", "高血压随访（第二季度）", date(2024, 6, 5)),
    DueService("马桂英", "2型糖尿病随访（第二季度）", date(2024, 6, 5)),
    DueService("马福贵", "老年人健康体检", date(2024, 7, 15)),
    DueService("马欣怡", "儿童健康管理（5岁）", date(2024, 4, 11)),
)


def sample_card() -> CardData:
    """The card of the sample household."""
    return CardData(
        household_no="6229231042010001", head="马福贵",
        address="甘肃省临夏回族自治州临夏县城关镇红旗村三社 17 号", poverty_status="建档立卡",
        doctor=TEAM.members[1], team=TEAM, start=date(2024, 3, 1), end=date(2025, 2, 28),
        due=SAMPLE_DUE, members=tuple(m.name for m in MEMBERS), household_type="建档立卡贫困户",
        signed=(("马福贵", ("基础包", "老年人包", "慢病包")), ("马桂英", ("基础包", "慢病包")),
                ("马小军", ("基础包", "残疾人包")), ("马欣怡", ("基础包",))))



# Care printouts: the follow-up sheets, the exam result slip and a referral of the same family.

ADDRESS = "甘肃省临夏回族自治州临夏县城关镇红旗村三社 17 号"
HTN_PATIENT = Patient("马福贵", "62292310420100017", "男", 67, "622923195703120013", "13893012345",
                      ADDRESS)
DM_PATIENT = Patient("马桂英", "62292310420100018", "女", 64, "622923196008150026", "13893012345",
                     ADDRESS)
VILLAGE_DOCTOR = "何永福"
VILLAGE_CLINIC = "红旗村卫生室"

_NIFEDIPINE = Drug("硝苯地平缓释片", 2, Decimal("10"))
_HCTZ = Drug("氢氯噻嗪片", 1, Decimal("12.5"))
_HTN_GOALS = HtnVisit(visit_date=date(2024, 1, 1), weight_target_kg=Decimal("66"),
                      bmi_target=Decimal("24.2"), cigarettes_target=5,
                      alcohol_target_liang=Decimal("1"), exercise_per_week_target=5,
                      exercise_minutes_target=30, salt_target="轻", doctor=VILLAGE_DOCTOR)


def _htn(day: date, **fields: Any) -> HtnVisit:
    return dataclasses.replace(_HTN_GOALS, visit_date=day, **fields)


def sample_htn_followups() -> HtnFollowups:
    """A year of hypertension visits: a 2-week recheck, then two uncontrolled visits and a referral."""
    return HtnFollowups(HTN_PATIENT, (
        _htn(date(2024, 3, 5), method=1, symptoms=(2,), sbp=152, dbp=94, weight_kg=Decimal("68"),
             bmi=Decimal("25.0"), heart_rate=78, cigarettes=10, alcohol_liang=Decimal("2"),
             exercise_per_week=3, exercise_minutes=30, salt="重", mood=1, compliance=2,
             adherence=2, adverse=1, classification=2, drugs=(_NIFEDIPINE,),
             next_date=date(2024, 3, 19)),
        _htn(date(2024, 3, 19), method=1, symptoms=(1,), sbp=136, dbp=84,
             weight_kg=Decimal("67.5"), bmi=Decimal("24.8"), heart_rate=74, cigarettes=6,
             alcohol_liang=Decimal("1"), exercise_per_week=4, exercise_minutes=30, salt="中",
             mood=1, compliance=1, adherence=1, adverse=1, classification=1,
             drugs=(_NIFEDIPINE, _HCTZ), next_date=date(2024, 6, 18)),
        _htn(date(2024, 9, 17), method=1, symptoms=(2, 6), symptoms_other="偶有鼻衄",
             sbp=148, dbp=92, weight_kg=Decimal("67"), bmi=Decimal("24.6"), heart_rate=82,
             signs_other="双下肢无水肿", cigarettes=5, alcohol_liang=Decimal("1"),
             exercise_per_week=5, exercise_minutes=30, salt="中", mood=2, compliance=1,
             adherence=1, adverse=2, adverse_text="踝部轻度水肿", classification=3,
             drugs=(_NIFEDIPINE, _HCTZ), next_date=date(2024, 10, 1)),
        _htn(date(2024, 6, 18), method=2, symptoms=(1,), sbp=134, dbp=82, weight_kg=Decimal("67"),
             bmi=Decimal("24.6"), heart_rate=72, cigarettes=5, alcohol_liang=Decimal("1"),
             exercise_per_week=5, exercise_minutes=30, salt="中", mood=1, compliance=1,
             adherence=1, adverse=1, classification=1, tests="心电图：窦性心律",
             drugs=(_NIFEDIPINE, _HCTZ), next_date=date(2024, 9, 17)),
        _htn(date(2024, 10, 1), method=2, symptoms=(2,), sbp=164, dbp=98, weight_kg=Decimal("67"),
             bmi=Decimal("24.6"), heart_rate=86, cigarettes=5, alcohol_liang=Decimal("1"),
             exercise_per_week=4, exercise_minutes=30, salt="中", mood=2, compliance=1,
             adherence=1, adverse=1, classification=2,
             drugs=(Drug("硝苯地平控释片", 1, Decimal("30")), _HCTZ,
                    Drug("厄贝沙坦片", 1, Decimal("150")), Drug("阿司匹林肠溶片", 1, Decimal("100"))),
             referral_reason="两次随访血压控制不满意", referral_to="临夏县人民医院 心血管内科",
             next_date=date(2024, 10, 15)),
    ))


_METFORMIN = Drug("二甲双胍片", 3, Decimal("0.5"), "g")
_GLIMEPIRIDE = Drug("格列美脲片", 1, Decimal("2"))
_DM_GOALS = DmVisit(visit_date=date(2024, 1, 1), weight_target_kg=Decimal("60"),
                    bmi_target=Decimal("23.4"), cigarettes=0, cigarettes_target=0,
                    alcohol_liang=Decimal("0"), alcohol_target_liang=Decimal("0"),
                    exercise_per_week_target=7, exercise_minutes_target=30, staple_target_g=250,
                    doctor=VILLAGE_DOCTOR)


def _dm(day: date, **fields: Any) -> DmVisit:
    return dataclasses.replace(_DM_GOALS, visit_date=day, **fields)


def sample_dm_followups() -> DmFollowups:
    """Four diabetes visits of one year, the last one by phone."""
    return DmFollowups(DM_PATIENT, (
        _dm(date(2024, 3, 6), method=1, symptoms=(2, 4), sbp=138, dbp=82, weight_kg=Decimal("63"),
            bmi=Decimal("24.6"), foot_pulse=2, foot_pulse_side="左侧", exercise_per_week=3,
            exercise_minutes=20, staple_g=350, mood=2, compliance=2,
            fasting_glucose=Decimal("8.6"), hba1c=Decimal("7.8"), hba1c_date=date(2024, 3, 1),
            adherence=2, adverse=1, hypoglycemia=1, classification=2, drugs=(_METFORMIN,),
            next_date=date(2024, 3, 20)),
        _dm(date(2024, 3, 20), method=1, symptoms=(1,), sbp=132, dbp=80,
            weight_kg=Decimal("62.5"), bmi=Decimal("24.4"), foot_pulse=2, foot_pulse_side="左侧",
            exercise_per_week=5, exercise_minutes=30, staple_g=300, mood=1, compliance=1,
            fasting_glucose=Decimal("6.8"), adherence=1, adverse=1, hypoglycemia=2,
            classification=1, drugs=(_METFORMIN, _GLIMEPIRIDE), next_date=date(2024, 6, 19)),
        _dm(date(2024, 6, 19), method=2, symptoms=(1,), sbp=130, dbp=78, weight_kg=Decimal("62"),
            bmi=Decimal("24.2"), foot_pulse=1, exercise_per_week=6, exercise_minutes=30,
            staple_g=275, mood=1, compliance=1, fasting_glucose=Decimal("6.5"), adherence=1,
            adverse=1, hypoglycemia=1, classification=1, drugs=(_METFORMIN, _GLIMEPIRIDE),
            insulin_kind="甘精胰岛素", insulin_usage="睡前皮下注射 10 单位",
            next_date=date(2024, 9, 18)),
        DmVisit(visit_date=date(2024, 9, 18), method=3, symptoms=(1,), mood=1, compliance=1,
                adherence=1, adverse=1, hypoglycemia=1, classification=1,
                drugs=(_METFORMIN, _GLIMEPIRIDE), next_date=date(2024, 10, 9),
                doctor=VILLAGE_DOCTOR),
    ))


def sample_exam_slip() -> ExamSlipData:
    """The yearly exam of the hypertensive grandfather: high blood pressure, glucose and lipids."""
    return ExamSlipData(
        patient=HTN_PATIENT, exam_date=date(2024, 7, 15), clinic="城关镇卫生院",
        clinic_phone="0930-5212345", doctor=VILLAGE_DOCTOR,
        physical=PhysicalExam(
            temperature=Decimal("36.5"), pulse=78, respiration=18, sbp_left=152, dbp_left=94,
            sbp_right=148, dbp_right=92, height_cm=Decimal("165"), weight_kg=Decimal("67"),
            waist_cm=Decimal("92"), skin=Finding("正常"), lymph_nodes=Finding("未触及"),
            heart=Finding("心率78次/分，律齐，未闻及杂音"), lungs=Finding("呼吸音清，未闻及罗音"),
            abdomen=Finding("无压痛，肝脾未触及")),
        tests=(
            LabResult("血常规", "血红蛋白", Decimal("142")),
            LabResult("血常规", "白细胞", Decimal("6.2")),
            LabResult("血常规", "血小板", Decimal("210")),
            LabResult("尿常规", "尿蛋白", "阴性"), LabResult("尿常规", "尿糖", "±"),
            LabResult("尿常规", "尿酮体", "阴性"), LabResult("尿常规", "尿潜血", "阴性"),
            LabResult("肝功能", "谷丙转氨酶", Decimal("32")),
            LabResult("肝功能", "谷草转氨酶", Decimal("28")),
            LabResult("肝功能", "白蛋白", Decimal("43.5")),
            LabResult("肝功能", "总胆红素", Decimal("14.2")),
            LabResult("肝功能", "结合胆红素", Decimal("4.1")),
            LabResult("肾功能", "血清肌酐", Decimal("88")),
            LabResult("肾功能", "血尿素", Decimal("6.1")),
            LabResult("肾功能", "血钾", Decimal("4.2")),
            LabResult("肾功能", "血钠", Decimal("141")),
            LabResult("血糖", "空腹血糖", Decimal("6.4")),
            LabResult("血脂", "总胆固醇", Decimal("5.8")),
            LabResult("血脂", "甘油三酯", Decimal("2.1")),
            LabResult("血脂", "低密度脂蛋白胆固醇", Decimal("3.6")),
            LabResult("血脂", "高密度脂蛋白胆固醇", Decimal("1.1")),
            LabResult("心电图", "心电图", "窦性心律，左心室高电压", abnormal=True),
            LabResult("B超", "腹部B超", "轻度脂肪肝", abnormal=True),
        ),
        conclusion="一般疾病",
        abnormalities=("血压高于正常（已纳入高血压管理）", "空腹血糖偏高", "血脂偏高",
                       "心电图：左心室高电压", "B超：轻度脂肪肝"),
        guidance=(1, 2), risk_control=(1, 2, 3, 4, 5, 6), weight_goal_kg=Decimal("63"),
        vaccine="流感疫苗",
        advice="坚持每天按时服用降压药，每月到村卫生室量一次血压；少吃盐和肥肉，每天盐不超过一啤酒瓶盖"
               "（约5克）；戒烟限酒；3个月后复查空腹血糖和血脂。出现剧烈头痛、胸闷、一侧手脚发麻时立即就医。")


def sample_referral() -> ReferralData:
    """The hypertensive grandfather sent to the county hospital after two uncontrolled visits."""
    return ReferralData(
        patient=HTN_PATIENT, from_clinic=VILLAGE_CLINIC, from_doctor=VILLAGE_DOCTOR,
        from_phone="13993012345", to_hospital="临夏县人民医院", to_department="心血管内科",
        reason="两次随访血压控制不满意", referred_on=date(2024, 10, 1), referral_no="ZZ-2024-0031",
        impression="原发性高血压（2级，很高危）",
        present_history="高血压病史8年。今年9月17日随访血压148/92 mmHg，调整用药后10月1日上门随访血压"
                        "164/98 mmHg，诉头痛头晕，偶有鼻衄，无胸痛、无肢体麻木。",
        past_history="2型糖尿病家族史；否认冠心病、脑卒中病史；无药物过敏史。吸烟30年，现每日5支。",
        treatment="硝苯地平控释片30 mg 每日1次，氢氯噻嗪片12.5 mg 每日1次，厄贝沙坦片150 mg 每日1次；"
                  "低盐饮食、限酒指导。两次随访血压仍未达标，建议上级医院调整治疗方案。")


def sample_settlement() -> SettlementFormData:
    """The worked example of DOMAIN.md rule 5 as an estimate: the grandfather's in-county stay."""
    from app.core.policy import load_pack
    from app.core.settlement import ClaimInput, settle
    from app.printing.fonts import resource_path
    from app.printing.settlement_data import form_from_settlement

    path = resource_path("policies", "worked-example.toml")
    if path is None:
        raise FileNotFoundError("resources/policies/worked-example.toml")
    claim = ClaimInput(episode="住院", level="二级", scope="县域内", admitted=date(2024, 3, 1),
                       discharged=date(2024, 3, 10), total=Decimal("50000.00"),
                       out_of_catalogue=Decimal("3000.00"), categories=frozenset({"建档立卡"}),
                       diagnosis="胃恶性肿瘤", disease="C16.9")
    return form_from_settlement(settle(load_pack(path), claim), HTN_PATIENT, hospital="临夏县人民医院",
                                settlement_no="ZY2024-0311", insurance_no="622923195703120013",
                                village="红旗村三社", operator=VILLAGE_DOCTOR)

