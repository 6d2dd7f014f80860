"""The yearly health exam (健康体检表 essentials) and who is due for one.

Who: residents aged 65 and over (counted as 年内满65周岁: born in the year − 65 or earlier) and the
national chronic-disease groups (高血压, 2型糖尿病, 严重精神障碍, 肺结核); one exam per calendar
year. The result goes back to the person (结果反馈); an exam whose result has not been given back
`return_days` days after it (default 14, a setting: the 规范 names no number) is listed as due.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from app.core.errors import ValidationError
from app.core.followups import bmi, check_choice, check_choices, check_range, free_text
from app.core.ids import RecordId
from app.core.limits import check_name, check_text
from app.core.settings import dump_settings, load_settings

SETTINGS_PREFIX = "exam"
EXAM_CONDITIONS: tuple[str, ...] = ("高血压", "2型糖尿病", "严重精神障碍", "肺结核")

SYMPTOMS: tuple[str, ...] = (
    "无症状", "头痛", "头晕", "心悸", "胸闷", "胸痛", "慢性咳嗽", "咳痰", "呼吸困难", "多饮",
    "多尿", "体重下降", "乏力", "关节肿痛", "视力模糊", "手脚麻木", "尿急", "尿痛", "便秘",
    "腹泻", "恶心呕吐", "眼花", "耳鸣", "乳房胀痛", "其他",
)
SKIN: tuple[str, ...] = ("正常", "潮红", "苍白", "发绀", "黄染", "色素沉着", "其他")
LYMPH_NODES: tuple[str, ...] = ("未触及", "锁骨上", "腋窝", "其他")
HEART_RHYTHM: tuple[str, ...] = ("齐", "不齐", "绝对不齐")
PRESENT: tuple[str, ...] = ("无", "有")
BARREL_CHEST: tuple[str, ...] = ("否", "是")
BREATH_SOUNDS: tuple[str, ...] = ("正常", "异常")
RALES: tuple[str, ...] = ("无", "干罗音", "湿罗音", "其他")
ABDOMEN: tuple[str, ...] = ("压痛", "包块", "肝大", "脾大", "移动性浊音")   # ticked when present
EXERCISE: tuple[str, ...] = ("每天", "每周一次以上", "偶尔", "不锻炼")
DIET: tuple[str, ...] = ("荤素均衡", "荤食为主", "素食为主", "嗜盐", "嗜油", "嗜糖")
SMOKING: tuple[str, ...] = ("从不吸烟", "已戒烟", "吸烟")
DRINKING: tuple[str, ...] = ("从不", "偶尔", "经常", "每天")
URINE: tuple[str, ...] = ("-", "±", "+", "++", "+++", "++++")
NORMALITY: tuple[str, ...] = ("正常", "异常")
CONCLUSIONS: tuple[str, ...] = ("重大疾病", "一般疾病", "亚健康", "健康")
GUIDANCE: tuple[str, ...] = ("纳入慢性病患者健康管理", "建议复查", "建议转诊")
RISK_CONTROL: tuple[str, ...] = ("戒烟", "健康饮酒", "饮食", "锻炼", "减体重", "建议接种疫苗", "其他")


@dataclass
class HealthExam:
    """One yearly health exam of a resident: 一般状况, 查体, 生活方式, 辅助检查, 健康评价, 指导."""

    id: RecordId | None
    person_id: str
    exam_date: dt.date
    doctor: str = ""
    symptoms: list[str] = field(default_factory=list)
    symptoms_other: str = ""
    # 一般状况
    temperature: float | None = None            # ℃
    pulse: int | None = None                    # 次/分
    respiration: int | None = None              # 次/分
    sbp_left: int | None = None
    dbp_left: int | None = None
    sbp_right: int | None = None
    dbp_right: int | None = None
    height: float | None = None                 # cm
    weight: float | None = None                 # kg
    waist: float | None = None                  # cm
    # 查体
    skin: str = ""
    lymph_nodes: str = ""
    heart_rate: int | None = None
    heart_rhythm: str = ""
    heart_murmur: str = ""
    barrel_chest: str = ""
    breath_sounds: str = ""
    rales: str = ""
    abdomen: list[str] = field(default_factory=list)
    findings_other: str = ""
    # 生活方式
    exercise: str = ""
    exercise_minutes: int | None = None
    diet: list[str] = field(default_factory=list)
    smoking: str = ""
    cigarettes_per_day: int | None = None
    drinking: str = ""
    drinking_liang: float | None = None         # 两/日
    # 辅助检查
    hb: float | None = None                     # 血红蛋白 g/L
    wbc: float | None = None                    # 白细胞 ×10⁹/L
    plt: float | None = None                    # 血小板 ×10⁹/L
    urine_protein: str = ""
    urine_glucose: str = ""
    urine_ketone: str = ""
    urine_blood: str = ""
    alt: float | None = None                    # 血清谷丙转氨酶 U/L
    ast: float | None = None                    # 血清谷草转氨酶 U/L
    albumin: float | None = None                # g/L
    tbil: float | None = None                   # 总胆红素 μmol/L
    dbil: float | None = None                   # 结合胆红素 μmol/L
    creatinine: float | None = None             # 血清肌酐 μmol/L
    urea: float | None = None                   # 血尿素 mmol/L
    potassium: float | None = None              # mmol/L
    sodium: float | None = None                 # mmol/L
    glucose: float | None = None                # 空腹血糖 mmol/L
    tc: float | None = None                     # 总胆固醇 mmol/L
    tg: float | None = None                     # 甘油三酯 mmol/L
    ldl: float | None = None                    # mmol/L
    hdl: float | None = None                    # mmol/L
    ecg: str = ""
    ecg_text: str = ""
    ultrasound: str = ""
    ultrasound_text: str = ""
    # 健康评价与指导
    conclusion: str = ""
    abnormalities: str = ""
    guidance: list[str] = field(default_factory=list)
    risk_control: list[str] = field(default_factory=list)
    weight_goal: float | None = None            # 减体重 目标 kg
    vaccine: str = ""                           # 建议接种疫苗
    advice: str = ""
    result_returned_on: dt.date | None = None   # read side: when the result was given back
    supersedes: str | None = None
    origin_id: str | None = None
    note: str = ""

    @property
    def bmi(self) -> float | None:
        return bmi(self.weight, self.height)


_RANGES: tuple[tuple[str, float, float, str], ...] = (
    ("temperature", 34, 43, "体温（℃）"), ("pulse", 20, 250, "脉率（次/分）"),
    ("respiration", 5, 60, "呼吸频率（次/分）"), ("sbp_left", 50, 300, "左侧收缩压（mmHg）"),
    ("dbp_left", 30, 200, "左侧舒张压（mmHg）"), ("sbp_right", 50, 300, "右侧收缩压（mmHg）"),
    ("dbp_right", 30, 200, "右侧舒张压（mmHg）"), ("height", 50, 250, "身高（cm）"),
    ("weight", 2, 300, "体重（kg）"), ("waist", 30, 200, "腰围（cm）"),
    ("heart_rate", 20, 250, "心率（次/分）"), ("exercise_minutes", 0, 600, "每次锻炼时间（分钟）"),
    ("cigarettes_per_day", 0, 100, "日吸烟量（支）"), ("drinking_liang", 0, 30, "日饮酒量（两）"),
    ("hb", 30, 250, "血红蛋白（g/L）"), ("wbc", 0.1, 100, "白细胞（×10⁹/L）"),
    ("plt", 5, 2000, "血小板（×10⁹/L）"), ("alt", 0, 5000, "谷丙转氨酶（U/L）"),
    ("ast", 0, 5000, "谷草转氨酶（U/L）"), ("albumin", 5, 80, "白蛋白（g/L）"),
    ("tbil", 0, 1000, "总胆红素（μmol/L）"), ("dbil", 0, 500, "结合胆红素（μmol/L）"),
    ("creatinine", 10, 3000, "血清肌酐（μmol/L）"), ("urea", 0.5, 100, "血尿素（mmol/L）"),
    ("potassium", 1.5, 10, "血钾（mmol/L）"), ("sodium", 100, 200, "血钠（mmol/L）"),
    ("glucose", 1, 40, "空腹血糖（mmol/L）"), ("tc", 0.5, 30, "总胆固醇（mmol/L）"),
    ("tg", 0.1, 50, "甘油三酯（mmol/L）"), ("ldl", 0.1, 20, "低密度脂蛋白胆固醇（mmol/L）"),
    ("hdl", 0.1, 10, "高密度脂蛋白胆固醇（mmol/L）"), ("weight_goal", 2, 300, "目标体重（kg）"),
)
_CHOICES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("skin", SKIN, "皮肤"), ("lymph_nodes", LYMPH_NODES, "淋巴结"), ("heart_rhythm", HEART_RHYTHM, "心律"),
    ("heart_murmur", PRESENT, "杂音"), ("barrel_chest", BARREL_CHEST, "桶状胸"),
    ("breath_sounds", BREATH_SOUNDS, "呼吸音"), ("rales", RALES, "罗音"),
    ("exercise", EXERCISE, "锻炼频率"), ("smoking", SMOKING, "吸烟状况"), ("drinking", DRINKING, "饮酒频率"),
    ("urine_protein", URINE, "尿蛋白"), ("urine_glucose", URINE, "尿糖"), ("urine_ketone", URINE, "尿酮体"),
    ("urine_blood", URINE, "尿潜血"), ("ecg", NORMALITY, "心电图"), ("ultrasound", NORMALITY, "B超"),
    ("conclusion", CONCLUSIONS, "健康评价"),
)
_MULTI: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("symptoms", SYMPTOMS, "症状"), ("abdomen", ABDOMEN, "腹部体征"), ("diet", DIET, "饮食习惯"),
    ("guidance", GUIDANCE, "健康指导"), ("risk_control", RISK_CONTROL, "危险因素控制"),
)
_CODES = ("doctor", "vaccine", *(name for name, _, _ in _CHOICES))
_FREE = ("symptoms_other", "findings_other", "ecg_text", "ultrasound_text", "abnormalities", "advice",
         "note")


def _check_pairs(e: HealthExam) -> None:
    for side, label in (("left", "左侧"), ("right", "右侧")):
        sbp, dbp = getattr(e, f"sbp_{side}"), getattr(e, f"dbp_{side}")
        if (sbp is None) != (dbp is None):
            raise ValidationError(f"{label}血压请同时填写收缩压和舒张压", field=f"sbp_{side}")
        if sbp is not None and dbp is not None and sbp <= dbp:
            raise ValidationError(f"{label}收缩压（{sbp}）应高于舒张压（{dbp}）", field=f"sbp_{side}")
    if e.tbil is not None and e.dbil is not None and e.dbil > e.tbil:
        raise ValidationError("结合胆红素不能高于总胆红素", field="dbil")
    if e.smoking == "吸烟" and e.cigarettes_per_day is None:
        raise ValidationError("吸烟者请填写日吸烟量", field="cigarettes_per_day")
    if "无症状" in e.symptoms and len(e.symptoms) > 1:
        raise ValidationError("选了“无症状”就不能再选其他症状", field="symptoms")
    if "其他" in e.symptoms and not e.symptoms_other:
        raise ValidationError("症状选了“其他”时请写明", field="symptoms_other")
    if e.conclusion in ("重大疾病", "一般疾病") and not e.abnormalities:
        raise ValidationError(f"健康评价为{e.conclusion}时请写明异常情况", field="abnormalities")


def validate_exam(e: HealthExam, *, today: dt.date, birth_date: dt.date | None = None) -> HealthExam:
    """Check an exam before it is saved: plausible ranges, known codes, dates. Tidies text."""
    e.doctor = check_name(e.doctor, "体检医生", field="doctor")
    for name in _CODES[1:]:
        setattr(e, name, check_text(getattr(e, name), name, "short", field=name))
    for name in _FREE:
        setattr(e, name, free_text(getattr(e, name), name))
    if e.exam_date > today:
        raise ValidationError("体检日期不能在今天之后", field="exam_date")
    if birth_date is not None and e.exam_date < birth_date:
        raise ValidationError("体检日期不能早于出生日期", field="exam_date")
    if e.result_returned_on is not None:
        check_returned(e, e.result_returned_on, today=today)
    for name, low, high, label in _RANGES:
        check_range(getattr(e, name), low, high, label, name)
    for name, options, label in _CHOICES:
        check_choice(getattr(e, name), options, label, name)
    for name, options, label in _MULTI:
        check_choices(getattr(e, name), options, label, name)
    _check_pairs(e)
    return e


def check_returned(e: HealthExam, on: dt.date, *, today: dt.date) -> None:
    """The day a result was given back lies between the exam and today."""
    if on < e.exam_date:
        raise ValidationError("结果反馈日期不能早于体检日期", field="result_returned_on")
    if on > today:
        raise ValidationError("结果反馈日期不能在今天之后", field="result_returned_on")


# --- who is due ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExamSettings:
    """Stored as `exam_<field>` in the settings table."""

    elderly_age: int = 65
    return_days: int = 14


def exam_settings(values: Mapping[str, str]) -> ExamSettings:
    s = load_settings(ExamSettings, SETTINGS_PREFIX, values)
    if not 0 < s.elderly_age <= 120:
        raise ValidationError("体检对象的年龄应在1–120之间", field="exam_elderly_age")
    if not 0 < s.return_days <= 365:
        raise ValidationError("结果反馈天数应在1–365之间", field="exam_return_days")
    return s


def exam_settings_values(s: ExamSettings) -> dict[str, str]:
    return dump_settings(s, SETTINGS_PREFIX)


def exam_reasons(birth_date: dt.date | None, conditions: Iterable[str], year: int,
                 s: ExamSettings) -> list[str]:
    """Why a person needs a yearly exam in `year` ([] when they do not)."""
    out = []
    if birth_date is not None and year - birth_date.year >= s.elderly_age:
        out.append(f"{s.elderly_age}岁及以上")
    held = set(conditions)
    if held:
        out += [c for c in EXAM_CONDITIONS if c in held]
    return out


def exam_due(birth_date: dt.date | None, conditions: Iterable[str], exam_dates: Sequence[dt.date],
             year: int, s: ExamSettings) -> bool:
    """In a yearly-exam group and without an exam in that calendar year."""
    return bool(exam_reasons(birth_date, conditions, year, s)) and not any(
        d.year == year for d in exam_dates)


def return_due(exam_date: dt.date, s: ExamSettings) -> dt.date:
    """The day by which the result should have been given back."""
    return exam_date + dt.timedelta(days=s.return_days)


def result_overdue(e: HealthExam, today: dt.date, s: ExamSettings) -> bool:
    """The result is not given back and more than `return_days` days have passed."""
    return e.result_returned_on is None and today > return_due(e.exam_date, s)
