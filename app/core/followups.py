"""Follow-ups (随访) of hypertension and type-2 diabetes patients, and general home visits.

The fields are those of the national 高血压患者随访服务记录表 and 2型糖尿病患者随访服务记录表
(国家基本公共卫生服务规范 第三版). Code lists keep the order printed on the forms, so a value's
printed code is its position + 1 (`form_code`). The classification and schedule rules live in
`app.core.followup_rules`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from app.core.errors import ValidationError
from app.core.ids import RecordId
from app.core.limits import check_name, check_number, check_text

KINDS: tuple[str, ...] = ("高血压", "糖尿病")
KIND_CONDITION: dict[str, str] = {"高血压": "高血压", "糖尿病": "2型糖尿病"}
CONDITION_KIND: dict[str, str] = {v: k for k, v in KIND_CONDITION.items()}
METHODS: tuple[str, ...] = ("门诊", "家庭", "电话")
FACE_TO_FACE: frozenset[str] = frozenset({"门诊", "家庭"})

SYMPTOMS: dict[str, tuple[str, ...]] = {
    "高血压": ("无症状", "头痛头晕", "恶心呕吐", "眼花耳鸣", "呼吸困难", "心悸胸闷", "鼻衄出血不止",
               "四肢发麻", "下肢水肿"),
    "糖尿病": ("无症状", "多饮", "多食", "多尿", "视力模糊", "感染", "手脚麻木", "下肢浮肿",
               "体重明显下降"),
}
# Danger signs that call for an urgent referral (规范 第三版), ticked by the doctor; the measured
# ones (blood pressure, glucose, heart rate, temperature) are also checked from the numbers.
DANGER_SIGNS: dict[str, tuple[str, ...]] = {
    "高血压": ("意识改变", "剧烈头痛或头晕", "恶心呕吐", "视力模糊", "眼痛", "心悸", "胸闷",
               "喘憋不能平卧", "妊娠期或哺乳期血压高于正常", "其他难以处理的急症"),
    "糖尿病": ("意识或行为改变", "呼气有烂苹果样丙酮味", "心悸、出汗", "食欲减退、恶心、呕吐",
               "多饮、多尿", "腹痛", "深大呼吸、皮肤潮红", "持续性心动过速", "体温超过39℃",
               "视力骤降、眼痛", "妊娠期或哺乳期血糖高于正常", "其他难以处理的急症"),
}
LEVELS: tuple[str, ...] = ("良好", "一般", "差")              # 心理调整, 遵医行为
SALT: tuple[str, ...] = ("轻", "中", "重")
ADHERENCE: tuple[str, ...] = ("规律", "间断", "不服药")
HYPOGLYCEMIA: tuple[str, ...] = ("无", "偶尔", "频繁")
FOOT_PULSE: tuple[str, ...] = ("触及正常", "减弱", "消失")
FOOT_SIDES: tuple[str, ...] = ("双侧", "左侧", "右侧")
CLASSES: tuple[str, ...] = ("控制满意", "控制不满意", "不良反应", "并发症")
MEASURES: tuple[str, ...] = ("常规随访", "第1次控制不满意2周随访", "两次控制不满意转诊随访", "紧急转诊")
REFERRAL_MEASURES: frozenset[str] = frozenset(MEASURES[2:])
REFERRAL_RESULTS: tuple[str, ...] = ("到位", "不到位")
DOSE_UNITS: tuple[str, ...] = ("mg", "g", "μg", "U", "ml", "片", "粒", "袋")

# Fields that belong to one form only.
HTN_ONLY = ("salt", "salt_target")
DM_ONLY = ("glucose", "hba1c", "foot_pulse", "hypoglycemia", "staple_food", "staple_food_target")


def form_code(options: Sequence[str], value: str) -> int:
    """The number printed on the form for an option (its position + 1)."""
    return options.index(value) + 1


@dataclass
class Drug:
    """One line of 用药情况 (or 用药调整意见): 每日 n 次，每次 dose unit; insulin with its usage."""

    name: str
    times_per_day: int | None = None
    dose: float | None = None
    unit: str = "mg"
    insulin: bool = False
    usage: str = ""


@dataclass
class Referral:
    """A referral written on the form: reason, 机构及科别, 联系人及电话."""

    reason: str
    hospital: str
    contact: str = ""


@dataclass
class FollowUp:
    """One visit of a 高血压 or 2型糖尿病 patient.

    `classification`, `measure` and `next_date` are what the doctor confirmed; empty ones take the
    suggestion when the visit is saved, and the `suggested_*` fields keep what was suggested.
    """

    id: RecordId | None
    person_id: str
    kind: str
    visit_date: dt.date
    method: str = "门诊"
    doctor: str = ""
    symptoms: list[str] = field(default_factory=list)
    symptoms_other: str = ""
    danger_signs: list[str] = field(default_factory=list)
    sbp: int | None = None
    dbp: int | None = None
    weight: float | None = None
    weight_target: float | None = None
    height: float | None = None                 # cm; from the latest exam when not typed
    heart_rate: int | None = None
    temperature: float | None = None
    foot_pulse: str = ""
    foot_pulse_side: str = ""
    signs_other: str = ""
    glucose: float | None = None                # 空腹血糖 mmol/L
    hba1c: float | None = None                  # %
    hba1c_date: dt.date | None = None
    tests_other: str = ""
    smoking: int | None = None                  # 支/日
    smoking_target: int | None = None
    drinking: float | None = None               # 两/日 (白酒当量)
    drinking_target: float | None = None
    exercise_times: int | None = None           # 次/周
    exercise_minutes: int | None = None         # 分钟/次
    exercise_times_target: int | None = None
    exercise_minutes_target: int | None = None
    salt: str = ""
    salt_target: str = ""
    staple_food: int | None = None              # 克/天
    staple_food_target: int | None = None
    psychology: str = ""
    compliance: str = ""                        # 遵医行为
    adherence: str = ""                         # 服药依从性
    adverse_reaction: bool = False
    adverse_text: str = ""
    hypoglycemia: str = ""
    complication: bool = False                  # new or worse complication
    medications: list[Drug] = field(default_factory=list)
    adjustments: list[Drug] = field(default_factory=list)
    referral: Referral | None = None
    classification: str = ""
    measure: str = ""
    next_date: dt.date | None = None
    note: str = ""
    suggested_class: str = ""
    suggested_measure: str = ""
    suggested_next: dt.date | None = None
    suggested_referral: bool = False
    suggested_urgent: bool = False
    suggested_reasons: list[str] = field(default_factory=list)
    supersedes: str | None = None
    origin_id: str | None = None
    referral_result: str = ""                   # read side: the latest 转诊结果, if any
    referral_result_on: dt.date | None = None

    @property
    def face_to_face(self) -> bool:
        return self.method in FACE_TO_FACE

    @property
    def bmi(self) -> float | None:
        return bmi(self.weight, self.height)

    @property
    def bmi_target(self) -> float | None:
        return bmi(self.weight_target, self.height)

    @property
    def refers(self) -> bool:
        """Whether this visit referred the patient (by its measure or a written referral)."""
        return self.measure in REFERRAL_MEASURES or self.referral is not None

    @property
    def overridden(self) -> list[str]:
        """The parts of the suggestion the doctor changed (class, measure, next date)."""
        out = []
        if self.suggested_class and self.classification != self.suggested_class:
            out.append("classification")
        if self.suggested_measure and self.measure != self.suggested_measure:
            out.append("measure")
        if self.suggested_next and self.next_date != self.suggested_next:
            out.append("next_date")
        return out


@dataclass
class GeneralVisit:
    """A general visit (入户随访) of any household member."""

    id: RecordId | None
    person_id: str
    visit_date: dt.date
    method: str = "家庭"
    content: str = ""
    doctor: str = ""
    next_date: dt.date | None = None
    note: str = ""
    supersedes: str | None = None
    origin_id: str | None = None


def bmi(weight: float | None, height_cm: float | None) -> float | None:
    """体质指数 kg/m², one decimal; None without both weight and height."""
    if weight is None or not height_cm:
        return None
    return round(weight / (height_cm / 100) ** 2, 1)


# --- validation -----------------------------------------------------------------------------


def check_range(value: float | None, low: float, high: float, label: str, name: str) -> None:
    """Refuse a number outside [low, high], naming the field in Chinese."""
    if value is None:
        return
    check_number(value, label, field=name)
    if not low <= value <= high:
        raise ValidationError(f"{label}应在 {low:g}–{high:g} 之间，现在是 {value:g}", field=name)


def check_choice(value: str, options: Sequence[str], label: str, name: str) -> None:
    if value and value not in options:
        raise ValidationError(f"{label}“{value}”不在可选项中：{'、'.join(options)}", field=name)


def check_choices(values: Sequence[str], options: Sequence[str], label: str, name: str) -> None:
    for v in values:
        check_choice(v, options, label, name)
    if len(set(values)) != len(values):
        raise ValidationError(f"{label}有重复的选项", field=name)


_RANGES: tuple[tuple[str, float, float, str], ...] = (
    ("sbp", 50, 300, "收缩压（mmHg）"), ("dbp", 30, 200, "舒张压（mmHg）"),
    ("weight", 2, 300, "体重（kg）"), ("weight_target", 2, 300, "目标体重（kg）"),
    ("height", 50, 250, "身高（cm）"), ("heart_rate", 20, 250, "心率（次/分）"),
    ("temperature", 34, 43, "体温（℃）"), ("glucose", 1, 40, "空腹血糖（mmol/L）"),
    ("hba1c", 3, 20, "糖化血红蛋白（%）"), ("smoking", 0, 100, "日吸烟量（支）"),
    ("smoking_target", 0, 100, "目标日吸烟量（支）"), ("drinking", 0, 30, "日饮酒量（两）"),
    ("drinking_target", 0, 30, "目标日饮酒量（两）"), ("exercise_times", 0, 21, "运动次数（次/周）"),
    ("exercise_minutes", 0, 600, "每次运动时间（分钟）"),
    ("exercise_times_target", 0, 21, "目标运动次数（次/周）"),
    ("exercise_minutes_target", 0, 600, "目标每次运动时间（分钟）"),
    ("staple_food", 0, 2000, "主食（克/天）"), ("staple_food_target", 0, 2000, "目标主食（克/天）"),
)


def _check_drugs(drugs: list[Drug], name: str, kind: str) -> list[Drug]:
    out = []
    for d in drugs:
        drug = Drug(check_text(d.name, "药物名称", "short", field=name), d.times_per_day, d.dose,
                    check_text(d.unit, "剂量单位", "short", field=name) or "mg", d.insulin,
                    check_text(d.usage, "用法", "line", field=name))
        if not drug.name:
            raise ValidationError("药物名称不能为空", field=name)
        if drug.insulin and kind != "糖尿病":
            raise ValidationError("只有糖尿病随访登记胰岛素", field=name)
        check_range(drug.times_per_day, 1, 12, f"{drug.name}每日次数", name)
        check_range(drug.dose, 0.001, 10000, f"{drug.name}每次剂量", name)
        check_choice(drug.unit, DOSE_UNITS, f"{drug.name}的剂量单位", name)
        out.append(drug)
    return out


def _check_kind_fields(f: FollowUp) -> None:
    other = DM_ONLY if f.kind == "高血压" else HTN_ONLY
    for name in other:
        if getattr(f, name) not in (None, ""):
            raise ValidationError(f"{f.kind}随访表中没有这一项（{name}）", field=name)


def free_text(text: str, what: str = "文字") -> str:
    """Free text as typed (line breaks and Chinese punctuation kept), without surrounding space,
    invisible characters or more than NOTE_MAX characters."""
    return check_text(text, what, "note")


def _check_texts(f: FollowUp) -> None:
    f.doctor = check_name(f.doctor, "随访医生", field="doctor")
    for name in ("foot_pulse", "foot_pulse_side", "salt", "salt_target", "psychology",
                 "compliance", "adherence", "hypoglycemia", "classification", "measure"):
        setattr(f, name, check_text(getattr(f, name), name, "short", field=name))
    for name in ("symptoms_other", "signs_other", "tests_other", "adverse_text", "note"):
        setattr(f, name, free_text(getattr(f, name), name))


def _check_dates(f: FollowUp, today: dt.date, birth_date: dt.date | None) -> None:
    if f.visit_date > today:
        raise ValidationError("随访日期不能在今天之后", field="visit_date")
    if birth_date is not None and f.visit_date < birth_date:
        raise ValidationError("随访日期不能早于出生日期", field="visit_date")
    if f.next_date is not None:
        if f.next_date <= f.visit_date:
            raise ValidationError("下次随访日期应在本次随访之后", field="next_date")
        if (f.next_date - f.visit_date).days > 366:
            raise ValidationError("下次随访日期不能超过本次随访后一年", field="next_date")
    if f.hba1c_date is not None and f.hba1c_date > f.visit_date:
        raise ValidationError("糖化血红蛋白检查日期不能在随访日期之后", field="hba1c_date")


def validate_followup(f: FollowUp, *, today: dt.date, birth_date: dt.date | None = None) -> FollowUp:
    """Check a follow-up before it is saved: codes, plausible ranges, dates. Tidies text in place."""
    if f.kind not in KINDS:
        raise ValidationError(f"随访类别应为 {' 或 '.join(KINDS)}", field="kind")
    check_choice(f.method, METHODS, "随访方式", "method")
    if not f.method:
        raise ValidationError("请选择随访方式：门诊、家庭或电话", field="method")
    _check_texts(f)
    _check_dates(f, today, birth_date)
    check_choices(f.symptoms, SYMPTOMS[f.kind], "症状", "symptoms")
    if "无症状" in f.symptoms and len(f.symptoms) > 1:
        raise ValidationError("选了“无症状”就不能再选其他症状", field="symptoms")
    check_choices(f.danger_signs, DANGER_SIGNS[f.kind], "危急情况", "danger_signs")
    _check_kind_fields(f)
    for name, low, high, label in _RANGES:
        check_range(getattr(f, name), low, high, label, name)
    if (f.sbp is None) != (f.dbp is None):
        raise ValidationError("血压请同时填写收缩压和舒张压", field="sbp")
    if f.sbp is not None and f.dbp is not None and f.sbp <= f.dbp:
        raise ValidationError(f"收缩压（{f.sbp}）应高于舒张压（{f.dbp}）", field="sbp")
    for name, options, label in (
        ("salt", SALT, "摄盐情况"), ("salt_target", SALT, "目标摄盐情况"),
        ("psychology", LEVELS, "心理调整"), ("compliance", LEVELS, "遵医行为"),
        ("adherence", ADHERENCE, "服药依从性"), ("hypoglycemia", HYPOGLYCEMIA, "低血糖反应"),
        ("foot_pulse", FOOT_PULSE, "足背动脉搏动"), ("foot_pulse_side", FOOT_SIDES, "足背动脉搏动部位"),
        ("classification", CLASSES, "此次随访分类"), ("measure", MEASURES, "下一步管理措施"),
    ):
        check_choice(getattr(f, name), options, label, name)
    if f.foot_pulse in ("减弱", "消失") and not f.foot_pulse_side:
        raise ValidationError(f"足背动脉搏动{f.foot_pulse}时请选择双侧、左侧或右侧", field="foot_pulse_side")
    if f.adverse_reaction and not f.adverse_text:
        raise ValidationError("有药物不良反应时请写明是什么反应", field="adverse_text")
    f.medications = _check_drugs(f.medications, "medications", f.kind)
    f.adjustments = _check_drugs(f.adjustments, "adjustments", f.kind)
    if f.referral is not None:
        f.referral = Referral(free_text(f.referral.reason, "转诊原因"),
                              check_text(f.referral.hospital, "转诊机构及科别", "line", field="referral"),
                              check_text(f.referral.contact, "转诊联系人及电话", "line", field="referral"))
        if not f.referral.reason:
            raise ValidationError("转诊请写明原因", field="referral")
        if not f.referral.hospital:
            raise ValidationError("转诊请写明机构及科别", field="referral")
    return f


def validate_general_visit(v: GeneralVisit, *, today: dt.date) -> GeneralVisit:
    """Check a general visit: method, a date not in the future, some content, a later next date."""
    check_choice(v.method, METHODS, "随访方式", "method")
    if not v.method:
        raise ValidationError("请选择随访方式：门诊、家庭或电话", field="method")
    v.content, v.note = free_text(v.content, "随访内容"), free_text(v.note, "备注")
    v.doctor = check_name(v.doctor, "随访医生", field="doctor")
    if v.visit_date > today:
        raise ValidationError("随访日期不能在今天之后", field="visit_date")
    if not v.content:
        raise ValidationError("请填写随访内容", field="content")
    if v.next_date is not None and v.next_date <= v.visit_date:
        raise ValidationError("下次随访日期应在本次随访之后", field="next_date")
    return v


def check_referral_result(result: str, on: dt.date, visit: FollowUp, *, today: dt.date) -> None:
    """A 转诊结果 is 到位 or 不到位, dated between the visit and today, for a visit that referred."""
    check_choice(result, REFERRAL_RESULTS, "转诊结果", "result")
    if not result:
        raise ValidationError("请选择转诊结果：到位或不到位", field="result")
    if not visit.refers:
        raise ValidationError("这次随访没有转诊，不能登记转诊结果", field="result")
    if on < visit.visit_date or on > today:
        raise ValidationError("转诊结果日期应在随访日期与今天之间", field="on")
