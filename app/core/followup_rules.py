"""Classification and schedule of a follow-up (DOMAIN rule 3; 规范 第三版 分类干预).

`suggest` looks at one visit and the patient's earlier visits of the same kind and proposes the
此次随访分类, the 下一步管理措施, whether to refer (and how urgently) and the next visit date,
with its reasons in Chinese. The doctor confirms or overrides; both are stored.

Schedule: a danger sign, a first 控制不满意 or an adverse reaction, two 控制不满意 in a row and a
new or worse complication all bring the next contact within `recheck_days` (2 weeks). Otherwise
the next visit is within `routine_days` (3 months) and early enough that the face-to-face visits
still missing this calendar year (phone visits do not count) fit before 31 December.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.core.errors import ValidationError
from app.core.followups import FollowUp
from app.core.settings import dump_settings, load_settings

SETTINGS_PREFIX = "followup"


@dataclass(frozen=True)
class FollowUpSettings:
    """Thresholds of the follow-up rules; stored as `followup_<field>` in the settings table."""

    sbp_uncontrolled: int = 140
    dbp_uncontrolled: int = 90
    elderly_age: int = 0                  # 0: one threshold for all ages; e.g. 65 for <150/90
    elderly_sbp_uncontrolled: int = 150
    elderly_dbp_uncontrolled: int = 90
    glucose_uncontrolled: float = 7.0
    sbp_danger: int = 180
    dbp_danger: int = 110
    glucose_danger_high: float = 16.7
    glucose_danger_low: float = 3.9
    dm_heart_rate_danger: int = 100       # above this: 持续性心动过速
    dm_temperature_danger: float = 39.0   # above this
    recheck_days: int = 14
    routine_days: int = 90
    min_face_to_face: int = 4


def followup_settings(values: Mapping[str, str]) -> FollowUpSettings:
    """The thresholds from the settings table's text values, checked for coherence."""
    return check_settings(load_settings(FollowUpSettings, SETTINGS_PREFIX, values))


def settings_values(s: FollowUpSettings) -> dict[str, str]:
    return dump_settings(check_settings(s), SETTINGS_PREFIX)


def check_settings(s: FollowUpSettings) -> FollowUpSettings:
    def bad(message: str, name: str) -> ValidationError:
        return ValidationError(message, field=f"{SETTINGS_PREFIX}_{name}")

    if not 0 < s.dbp_uncontrolled < s.sbp_uncontrolled:
        raise bad("控制不满意的舒张压阈值应大于0且低于收缩压阈值", "dbp_uncontrolled")
    if not (s.sbp_uncontrolled < s.sbp_danger and s.dbp_uncontrolled < s.dbp_danger):
        raise bad("危急血压阈值应高于控制不满意阈值", "sbp_danger")
    if s.elderly_age < 0 or s.elderly_age > 120:
        raise bad("老年人血压阈值的起始年龄应在0–120之间（0表示不区分）", "elderly_age")
    if not 0 < s.elderly_dbp_uncontrolled < s.elderly_sbp_uncontrolled:
        raise bad("老年人的舒张压阈值应大于0且低于收缩压阈值", "elderly_dbp_uncontrolled")
    if not 0 < s.glucose_danger_low < s.glucose_uncontrolled < s.glucose_danger_high:
        raise bad("血糖阈值应满足：低血糖危急值 < 控制不满意阈值 < 高血糖危急值", "glucose_uncontrolled")
    if not 0 < s.recheck_days < s.routine_days <= 366:
        raise bad("复查天数应小于常规随访间隔，常规间隔不超过366天", "recheck_days")
    if not 1 <= s.min_face_to_face <= 24:
        raise bad("每年面对面随访次数应在1–24之间", "min_face_to_face")
    if s.dm_heart_rate_danger <= 0 or s.dm_temperature_danger <= 0:
        raise bad("心率与体温的危急阈值应大于0", "dm_heart_rate_danger")
    return s


@dataclass(frozen=True)
class Suggestion:
    """What the rules propose for one visit; the doctor confirms or overrides each part."""

    classification: str
    measure: str
    referral: bool
    urgent: bool
    next_date: dt.date
    reasons: tuple[str, ...]
    uncontrolled: bool
    danger: bool
    face_to_face: int                      # this calendar year, this visit included


def bp_thresholds(s: FollowUpSettings, age: int | None) -> tuple[int, int]:
    """The 控制不满意 thresholds (SBP, DBP) for a patient of this age."""
    if s.elderly_age and age is not None and age >= s.elderly_age:
        return s.elderly_sbp_uncontrolled, s.elderly_dbp_uncontrolled
    return s.sbp_uncontrolled, s.dbp_uncontrolled


def uncontrolled(v: FollowUp, s: FollowUpSettings, age: int | None = None) -> str:
    """Why the measured values are 控制不满意 ('' when they are not, or were not measured)."""
    if v.kind == "高血压":
        sbp_max, dbp_max = bp_thresholds(s, age)
        if v.sbp is not None and v.dbp is not None and (v.sbp >= sbp_max or v.dbp >= dbp_max):
            return f"血压 {v.sbp}/{v.dbp} mmHg，达到控制不满意标准（收缩压≥{sbp_max}或舒张压≥{dbp_max}）"
        return ""
    if v.glucose is not None and v.glucose >= s.glucose_uncontrolled:
        return f"空腹血糖 {v.glucose:g} mmol/L，达到控制不满意标准（≥{s.glucose_uncontrolled:g}）"
    return ""


def danger_reasons(v: FollowUp, s: FollowUpSettings) -> list[str]:
    """The danger signs of the visit, measured and ticked (empty when there are none)."""
    out = []
    if v.sbp is not None and v.dbp is not None and (v.sbp >= s.sbp_danger or v.dbp >= s.dbp_danger):
        out.append(f"血压 {v.sbp}/{v.dbp} mmHg（收缩压≥{s.sbp_danger}或舒张压≥{s.dbp_danger}）")
    if v.kind == "糖尿病":
        if v.glucose is not None and v.glucose >= s.glucose_danger_high:
            out.append(f"空腹血糖 {v.glucose:g} mmol/L（≥{s.glucose_danger_high:g}）")
        if v.glucose is not None and v.glucose <= s.glucose_danger_low:
            out.append(f"血糖 {v.glucose:g} mmol/L（≤{s.glucose_danger_low:g}，低血糖）")
        if v.heart_rate is not None and v.heart_rate > s.dm_heart_rate_danger:
            out.append(f"心率 {v.heart_rate} 次/分（>{s.dm_heart_rate_danger}）")
        if v.temperature is not None and v.temperature > s.dm_temperature_danger:
            out.append(f"体温 {v.temperature:g}℃（>{s.dm_temperature_danger:g}）")
    if v.danger_signs:
        out.append("、".join(v.danger_signs))
    return out


def was_uncontrolled(v: FollowUp, s: FollowUpSettings, age: int | None = None) -> bool:
    """Whether an earlier visit counts as 控制不满意: the doctor's class when it says satisfied or
    not, otherwise (不良反应, 并发症, none) its measured values."""
    if v.classification in ("控制满意", "控制不满意"):
        return v.classification == "控制不满意"
    return bool(uncontrolled(v, s, age))


def last_before(visit: FollowUp, previous: Sequence[FollowUp]) -> FollowUp | None:
    """The latest of `previous` on or before the visit's date (the visit itself excluded)."""
    earlier = [p for p in previous if p.visit_date <= visit.visit_date and p is not visit
               and (visit.id is None or p.id != visit.id)]
    return max(earlier, key=lambda p: p.visit_date, default=None)


def face_to_face_in_year(visit: FollowUp, previous: Sequence[FollowUp]) -> int:
    """Face-to-face visits in the visit's calendar year up to and including this one."""
    year = visit.visit_date.year
    before = sum(1 for p in previous if p.face_to_face and p.visit_date.year == year
                 and p.visit_date <= visit.visit_date and (visit.id is None or p.id != visit.id))
    return before + int(visit.face_to_face)


def routine_next(day: dt.date, done: int, s: FollowUpSettings) -> tuple[dt.date, str]:
    """The routine next visit: within `routine_days`, early enough to reach the yearly minimum."""
    routine = day + dt.timedelta(days=s.routine_days)
    needed = s.min_face_to_face - done
    if needed <= 0:
        return routine, f"今年已面对面随访 {done} 次，达到每年 {s.min_face_to_face} 次；{s.routine_days} 天内常规随访"
    days_left = (dt.date(day.year, 12, 31) - day).days
    if days_left < needed:
        return routine, (f"今年已面对面随访 {done} 次，年内剩余天数不够再补 {needed} 次；"
                         f"{s.routine_days} 天内常规随访")
    gap = min(s.routine_days, days_left // needed)
    why = f"今年已面对面随访 {done} 次，还差 {needed} 次"
    if gap < s.routine_days:
        why += f"，为在年底前补足，间隔缩短为 {gap} 天"
    else:
        why += f"；{s.routine_days} 天内常规随访"
    return day + dt.timedelta(days=gap), why


def suggest(visit: FollowUp, previous: Sequence[FollowUp], settings: FollowUpSettings, *,
            age: int | None = None) -> Suggestion:
    """The suggested class, measure, referral and next date for `visit`.

    `previous` holds the patient's earlier current follow-ups of the same kind: at least the last
    one before this visit and those of this visit's calendar year. `age` selects the elderly blood
    pressure threshold when that setting is on.
    """
    s = settings
    reasons: list[str] = []
    why_uncontrolled = uncontrolled(visit, s, age)
    dangers = danger_reasons(visit, s)
    last = last_before(visit, previous)
    again = bool(why_uncontrolled) and last is not None and was_uncontrolled(last, s, age)
    done = face_to_face_in_year(visit, previous)
    if not visit.face_to_face:
        reasons.append("电话随访不计入每年面对面随访次数")
    if why_uncontrolled:
        reasons.append(why_uncontrolled)
    elif visit.kind == "高血压" and visit.sbp is None:
        reasons.append("本次未测血压，按其他情况分类")
    elif visit.kind == "糖尿病" and visit.glucose is None:
        reasons.append("本次未测空腹血糖，按其他情况分类")
    if visit.adverse_reaction:
        reasons.append(f"有药物不良反应（{visit.adverse_text}）" if visit.adverse_text else "有药物不良反应")
    if visit.complication:
        reasons.append("出现新的并发症或原有并发症加重")
    classification = ("并发症" if visit.complication else "控制不满意" if why_uncontrolled
                      else "不良反应" if visit.adverse_reaction else "控制满意")
    recheck = visit.visit_date + dt.timedelta(days=s.recheck_days)
    if dangers:
        reasons.append(f"危急情况：{'；'.join(dangers)}，处理后紧急转诊，{s.recheck_days} 天内主动随访")
        return Suggestion(classification, "紧急转诊", True, True, recheck, tuple(reasons),
                          bool(why_uncontrolled), True, done)
    if again or visit.complication:
        if again and last is not None:
            reasons.append(f"上次随访（{last.visit_date}）也是控制不满意，连续两次控制不满意")
        reasons.append(f"建议转诊，{s.recheck_days} 天内随访转诊情况")
        return Suggestion(classification, "两次控制不满意转诊随访", True, False, recheck,
                          tuple(reasons), bool(why_uncontrolled), False, done)
    if why_uncontrolled or visit.adverse_reaction:
        first = "第一次控制不满意" if why_uncontrolled else "出现药物不良反应"
        reasons.append(f"{first}：调整用药，{s.recheck_days} 天内随访")
        return Suggestion(classification, "第1次控制不满意2周随访", False, False, recheck,
                          tuple(reasons), bool(why_uncontrolled), False, done)
    next_day, why = routine_next(visit.visit_date, done, s)
    reasons.append(why)
    return Suggestion(classification, "常规随访", False, False, next_day, tuple(reasons),
                      False, False, done)


def apply_suggestion(visit: FollowUp, suggestion: Suggestion) -> FollowUp:
    """Keep the suggestion on the visit and fill what the doctor left empty with it."""
    visit.suggested_class = suggestion.classification
    visit.suggested_measure = suggestion.measure
    visit.suggested_next = suggestion.next_date
    visit.suggested_referral = suggestion.referral
    visit.suggested_urgent = suggestion.urgent
    visit.suggested_reasons = list(suggestion.reasons)
    visit.classification = visit.classification or suggestion.classification
    visit.measure = visit.measure or suggestion.measure
    visit.next_date = visit.next_date or suggestion.next_date
    return visit
