"""Plain input records for the care printouts: follow-up sheets, the exam slip, the referral slip.

Codes are the numbers printed on the national forms (国家基本公共卫生服务规范 第三版), not the
national value-set codes; the caller maps stored values onto them. Numbers stay numbers
(Decimal or int) and dates stay dates; the forms format them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.core.identity import shown_record_no

# The option lists as printed on the forms; the code is the position, counting from 1.
METHODS = ("门诊", "家庭", "电话")
HTN_SYMPTOMS = ("无症状", "头痛头晕", "恶心呕吐", "眼花耳鸣", "呼吸困难", "心悸胸闷", "鼻衄出血不止",
                "四肢发麻", "下肢水肿")
DM_SYMPTOMS = ("无症状", "多饮", "多食", "多尿", "视力模糊", "感染", "手脚麻木", "下肢浮肿",
               "体重明显下降")
GRADES = ("良好", "一般", "差")  # 心理调整, 遵医行为
ADHERENCE = ("规律", "间断", "不服药")
ADVERSE = ("无", "有")
HYPOGLYCEMIA = ("无", "偶尔", "频繁")
CLASSES = ("控制满意", "控制不满意", "不良反应", "并发症")
FOOT_PULSE = ("触及正常", "减弱", "消失")
FOOT_SIDES = ("双侧", "左侧", "右侧")
SALT = ("轻", "中", "重")

CONCLUSIONS = ("重大疾病", "一般疾病", "亚健康", "健康")
GUIDANCE = ("纳入慢性病患者健康管理", "建议复查", "建议转诊")
RISK_CONTROL = ("戒烟", "健康饮酒", "饮食", "锻炼", "减体重", "建议接种疫苗", "其他")


@dataclass(frozen=True)
class Patient:
    """The person a care printout is about."""

    name: str
    record_no: str  # the 17-digit 健康档案编号
    sex: str = ""  # 男 / 女
    age: int | None = None
    id_no: str = ""  # 身份证号, printed masked on the slip the person takes home
    phone: str = ""
    address: str = ""
    record_provisional: bool = False  # the 档案号 awaits the county's confirmation: printed （临）

    @property
    def shown_record_no(self) -> str:
        """The 档案号 as printed beside its QR code and in the forms' grids."""
        return shown_record_no(self.record_no, self.record_provisional)


@dataclass(frozen=True)
class Drug:
    """One medicine as taken: 药物名称 and 用法用量 每日_次 每次_mg."""

    name: str
    times_per_day: int | None = None
    dose: Decimal | str | None = None  # 每次 amount, in `unit`
    unit: str = "mg"


@dataclass(frozen=True, kw_only=True)
class Visit:
    """What both follow-up sheets record at one visit; `_target` fields are the goal after the slash."""

    visit_date: date
    method: int | None = None  # 随访方式: METHODS
    symptoms: tuple[int, ...] = ()  # the sheet's symptom codes, at most 8
    symptoms_other: str = ""
    sbp: int | None = None  # mmHg
    dbp: int | None = None
    weight_kg: Decimal | None = None
    weight_target_kg: Decimal | None = None
    bmi: Decimal | None = None  # kg/m²
    bmi_target: Decimal | None = None
    signs_other: str = ""  # 体征 其他
    cigarettes: int | None = None  # 日吸烟量 支
    cigarettes_target: int | None = None
    alcohol_liang: Decimal | None = None  # 日饮酒量 两
    alcohol_target_liang: Decimal | None = None
    exercise_per_week: int | None = None  # 运动 次/周
    exercise_minutes: int | None = None  # 分钟/次
    exercise_per_week_target: int | None = None
    exercise_minutes_target: int | None = None
    mood: int | None = None  # 心理调整: GRADES
    compliance: int | None = None  # 遵医行为: GRADES
    adherence: int | None = None  # 服药依从性: ADHERENCE
    adverse: int | None = None  # 药物不良反应: ADVERSE
    adverse_text: str = ""
    classification: int | None = None  # 此次随访分类: CLASSES
    drugs: tuple[Drug, ...] = ()
    referral_reason: str = ""
    referral_to: str = ""  # 机构及科别
    next_date: date | None = None
    doctor: str = ""  # 随访医生


@dataclass(frozen=True, kw_only=True)
class HtnVisit(Visit):
    """One column of the 高血压患者随访服务记录表."""

    heart_rate: int | None = None  # 次/分钟
    salt: str = ""  # 摄盐情况: SALT
    salt_target: str = ""
    tests: str = ""  # 辅助检查


@dataclass(frozen=True, kw_only=True)
class DmVisit(Visit):
    """One column of the 2型糖尿病患者随访服务记录表."""

    foot_pulse: int | None = None  # 足背动脉搏动: FOOT_PULSE
    foot_pulse_side: str = ""  # FOOT_SIDES, for 减弱 / 消失
    staple_g: int | None = None  # 主食 克/天
    staple_target_g: int | None = None
    fasting_glucose: Decimal | None = None  # mmol/L
    hba1c: Decimal | None = None  # 糖化血红蛋白 %
    hba1c_date: date | None = None
    other_tests: str = ""
    hypoglycemia: int | None = None  # 低血糖反应: HYPOGLYCEMIA
    insulin_kind: str = ""  # 胰岛素 种类
    insulin_usage: str = ""  # 用法和用量


@dataclass(frozen=True)
class HtnFollowups:
    """A hypertension patient's visits to print, four to a sheet (no visits: one blank sheet)."""

    patient: Patient
    visits: tuple[HtnVisit, ...] = ()


@dataclass(frozen=True)
class DmFollowups:
    """A type-2 diabetes patient's visits to print, four to a sheet."""

    patient: Patient
    visits: tuple[DmVisit, ...] = ()


@dataclass(frozen=True)
class Finding:
    """A described finding (皮肤, 心脏 …) and whether the doctor found it abnormal."""

    text: str
    abnormal: bool = False


@dataclass(frozen=True)
class PhysicalExam:
    """The 12 items of the 一般检查 of the yearly health exam."""

    temperature: Decimal | None = None  # ℃
    pulse: int | None = None  # 次/分
    respiration: int | None = None  # 次/分
    sbp_left: int | None = None
    dbp_left: int | None = None
    sbp_right: int | None = None
    dbp_right: int | None = None
    height_cm: Decimal | None = None
    weight_kg: Decimal | None = None
    waist_cm: Decimal | None = None
    bmi: Decimal | None = None  # worked out from height and weight when left out
    skin: Finding | None = None
    lymph_nodes: Finding | None = None  # 浅表淋巴结
    heart: Finding | None = None
    lungs: Finding | None = None
    abdomen: Finding | None = None


@dataclass(frozen=True)
class LabResult:
    """One test result; `abnormal` None means: judge it against the reference range."""

    group: str  # 血常规, 尿常规, 肝功能, 肾功能, 血糖, 血脂, 心电图, B超
    item: str  # e.g. 血红蛋白; the range file is looked up by this name
    value: Decimal | str
    unit: str = ""  # the range file's unit when left empty
    abnormal: bool | None = None


@dataclass(frozen=True)
class ExamSlipData:
    """Everything on the result slip handed to the person after the yearly exam."""

    patient: Patient
    exam_date: date
    clinic: str  # 体检机构
    physical: PhysicalExam
    doctor: str = ""  # 责任医生
    tests: tuple[LabResult, ...] = ()
    conclusion: str = ""  # one of CONCLUSIONS
    abnormalities: tuple[str, ...] = ()
    guidance: tuple[int, ...] = ()  # 健康指导: GUIDANCE codes
    risk_control: tuple[int, ...] = ()  # 危险因素控制: RISK_CONTROL codes
    weight_goal_kg: Decimal | None = None  # for 减体重
    vaccine: str = ""  # for 建议接种疫苗
    risk_other: str = ""  # for 其他
    advice: str = ""  # the doctor's words to the person
    clinic_phone: str = ""
    informed_on: date | None = None  # 结果告知 date; blank to fill by hand


@dataclass(frozen=True)
class ReferralData:
    """One 转诊单: the clinic's stub and the slip the patient takes to the hospital."""

    patient: Patient
    from_clinic: str
    from_doctor: str
    to_hospital: str
    reason: str  # e.g. 两次随访血压控制不满意
    to_department: str = ""
    urgent: bool = False
    impression: str = ""  # 初步印象
    present_history: str = ""  # 主要现病史（转出原因）
    past_history: str = ""  # 主要既往史
    treatment: str = ""  # 治疗经过
    referred_on: date | None = None
    from_phone: str = ""
    referral_no: str = ""
