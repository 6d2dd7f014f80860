"""The care printouts' input built from an open Workspace: follow-up sheets, exam slip, referral.

Stored values are mapped onto the codes printed on the national forms. Choices made here:

- A sheet holds one person's visits of one kind in one calendar year (the usual way the paper
  ledger is kept); `years_with_followups` lists the years there is something to print.
- 药物不良反应 prints 2 有 when the visit recorded one and 1 无 otherwise. Insulin lines go to
  the diabetes sheet's 胰岛素 row, the other drugs to 药物名称 1–3 in the order entered.
- The referral slip is made from the follow-up that referred the patient: its written reason,
  or the suggestion's reasons when none was written; 主要既往史 lists the person's diagnoses.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from app.core import exams as exam_codes
from app.core.followups import (
    ADHERENCE,
    CLASSES,
    FOOT_PULSE,
    HYPOGLYCEMIA,
    LEVELS,
    METHODS,
    SYMPTOMS,
    FollowUp,
    form_code,
)
from app.core.followups import Drug as StoredDrug
from app.core.people import Person
from app.printdata.sources import age_on
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

if TYPE_CHECKING:
    from app.core.exams import HealthExam
    from app.storage.workspace import Workspace


def _dec(value: float | int | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _code(options: tuple[str, ...], value: str) -> int | None:
    return form_code(options, value) if value in options else None


def patient_of(ws: Workspace, p: Person, on: dt.date) -> Patient:
    """The person as the care forms print them, with the household's address."""
    address = ""
    if p.household_id:
        h = ws.households.get(str(p.household_id))
        village = ws.settings.division_name(h.village_code)
        address = "".join(part for part in (village, h.group_name, h.address) if part)
    return Patient(name=p.name, record_no=p.record_no, sex=p.sex, age=age_on(p.birth_date, on),
                   id_no=p.id_no, phone=p.phone, address=address,
                   record_provisional=p.record_provisional)


# --- follow-up sheets -------------------------------------------------------------------------


def _drugs(drugs: list[StoredDrug]) -> tuple[Drug, ...]:
    return tuple(Drug(d.name, d.times_per_day, _dec(d.dose), d.unit) for d in drugs if not d.insulin)


def _common(f: FollowUp) -> dict[str, object]:
    symptoms = tuple(form_code(SYMPTOMS[f.kind], s) for s in f.symptoms if s in SYMPTOMS[f.kind])
    bmi, bmi_target = f.bmi, f.bmi_target
    return dict(
        visit_date=f.visit_date, method=_code(METHODS, f.method), symptoms=symptoms[:8],
        symptoms_other=f.symptoms_other, sbp=f.sbp, dbp=f.dbp, weight_kg=_dec(f.weight),
        weight_target_kg=_dec(f.weight_target), bmi=_dec(bmi), bmi_target=_dec(bmi_target),
        signs_other=f.signs_other, cigarettes=f.smoking, cigarettes_target=f.smoking_target,
        alcohol_liang=_dec(f.drinking), alcohol_target_liang=_dec(f.drinking_target),
        exercise_per_week=f.exercise_times, exercise_minutes=f.exercise_minutes,
        exercise_per_week_target=f.exercise_times_target,
        exercise_minutes_target=f.exercise_minutes_target,
        mood=_code(LEVELS, f.psychology), compliance=_code(LEVELS, f.compliance),
        adherence=_code(ADHERENCE, f.adherence), adverse=2 if f.adverse_reaction else 1,
        adverse_text=f.adverse_text, classification=_code(CLASSES, f.classification),
        drugs=_drugs(f.medications),
        referral_reason=f.referral.reason if f.referral else "",
        referral_to=f.referral.hospital if f.referral else "",
        next_date=f.next_date, doctor=f.doctor,
    )


def _insulin(f: FollowUp) -> tuple[str, str]:
    shots = [d for d in f.medications if d.insulin]
    kind = "、".join(d.name for d in shots)
    usage = "；".join(d.usage or _usage(d) for d in shots)
    return kind, usage


def _usage(d: StoredDrug) -> str:
    times = f"每日{d.times_per_day}次" if d.times_per_day else ""
    dose = f"每次{d.dose:g}{d.unit}" if d.dose is not None else ""
    return " ".join(part for part in (times, dose) if part)


def htn_visit(f: FollowUp) -> HtnVisit:
    return HtnVisit(**_common(f), heart_rate=f.heart_rate, salt=f.salt,  # type: ignore[arg-type]
                    salt_target=f.salt_target, tests=f.tests_other)


def dm_visit(f: FollowUp) -> DmVisit:
    kind, usage = _insulin(f)
    return DmVisit(**_common(f), foot_pulse=_code(FOOT_PULSE, f.foot_pulse),  # type: ignore[arg-type]
                   foot_pulse_side=f.foot_pulse_side, staple_g=f.staple_food,
                   staple_target_g=f.staple_food_target, fasting_glucose=_dec(f.glucose),
                   hba1c=_dec(f.hba1c), hba1c_date=f.hba1c_date, other_tests=f.tests_other,
                   hypoglycemia=_code(HYPOGLYCEMIA, f.hypoglycemia), insulin_kind=kind,
                   insulin_usage=usage)


def followup_sheets(ws: Workspace, person_id: str, kind: str,
                    year: int) -> HtnFollowups | DmFollowups:
    """One person's visits of one kind (高血压 / 糖尿病) in a calendar year, for the sheet."""
    p = ws.people.get(person_id)
    visits = sorted(ws.care.followups(person_id, kind=kind, year=year), key=lambda f: f.visit_date)
    patient = patient_of(ws, p, dt.date(year, 12, 31) if visits == [] else visits[-1].visit_date)
    if kind == "高血压":
        return HtnFollowups(patient, tuple(htn_visit(f) for f in visits))
    return DmFollowups(patient, tuple(dm_visit(f) for f in visits))


def years_with_followups(ws: Workspace, person_id: str, kind: str) -> list[int]:
    """The calendar years with at least one current follow-up of this kind, newest first."""
    return sorted({f.visit_date.year for f in ws.care.followups(person_id, kind=kind)}, reverse=True)


# --- the exam slip ----------------------------------------------------------------------------


def _finding(text: str, normal: tuple[str, ...]) -> Finding | None:
    return Finding(text, abnormal=text not in normal) if text else None


def _heart(e: HealthExam) -> Finding | None:
    parts = [f"心率{e.heart_rate}次/分" if e.heart_rate else "",
             f"心律{e.heart_rhythm}" if e.heart_rhythm else "",
             f"杂音{e.heart_murmur}" if e.heart_murmur else ""]
    text = " ".join(p for p in parts if p)
    abnormal = e.heart_rhythm not in ("", "齐") or e.heart_murmur == "有"
    return Finding(text, abnormal) if text else None


def _lungs(e: HealthExam) -> Finding | None:
    parts = [f"桶状胸：{e.barrel_chest}" if e.barrel_chest else "",
             f"呼吸音{e.breath_sounds}" if e.breath_sounds else "",
             f"罗音：{e.rales}" if e.rales else ""]
    text = " ".join(p for p in parts if p)
    abnormal = e.barrel_chest == "是" or e.breath_sounds == "异常" or e.rales not in ("", "无")
    return Finding(text, abnormal) if text else None


def _abdomen(e: HealthExam) -> Finding | None:
    if e.abdomen:
        return Finding("、".join(e.abdomen), abnormal=True)
    return None


def physical_of(e: HealthExam) -> PhysicalExam:
    return PhysicalExam(
        temperature=_dec(e.temperature), pulse=e.pulse, respiration=e.respiration,
        sbp_left=e.sbp_left, dbp_left=e.dbp_left, sbp_right=e.sbp_right, dbp_right=e.dbp_right,
        height_cm=_dec(e.height), weight_kg=_dec(e.weight), waist_cm=_dec(e.waist),
        bmi=_dec(e.bmi), skin=_finding(e.skin, ("正常",)),
        lymph_nodes=_finding(e.lymph_nodes, ("未触及",)), heart=_heart(e), lungs=_lungs(e),
        abdomen=_abdomen(e),
    )


# (group, item as in the range file, HealthExam field)
LAB_ITEMS: tuple[tuple[str, str, str], ...] = (
    ("血常规", "血红蛋白", "hb"), ("血常规", "白细胞", "wbc"), ("血常规", "血小板", "plt"),
    ("尿常规", "尿蛋白", "urine_protein"), ("尿常规", "尿糖", "urine_glucose"),
    ("尿常规", "尿酮体", "urine_ketone"), ("尿常规", "尿潜血", "urine_blood"),
    ("肝功能", "谷丙转氨酶", "alt"), ("肝功能", "谷草转氨酶", "ast"), ("肝功能", "白蛋白", "albumin"),
    ("肝功能", "总胆红素", "tbil"), ("肝功能", "结合胆红素", "dbil"),
    ("肾功能", "血清肌酐", "creatinine"), ("肾功能", "血尿素", "urea"), ("肾功能", "血钾", "potassium"),
    ("肾功能", "血钠", "sodium"), ("血糖", "空腹血糖", "glucose"), ("血脂", "总胆固醇", "tc"),
    ("血脂", "甘油三酯", "tg"), ("血脂", "低密度脂蛋白胆固醇", "ldl"),
    ("血脂", "高密度脂蛋白胆固醇", "hdl"),
)


def _imaging(group: str, result: str, text: str) -> LabResult | None:
    if not result:
        return None
    value = f"{result}：{text}" if text else result
    return LabResult(group, group, value, abnormal=result == "异常")


def lab_results(e: HealthExam) -> tuple[LabResult, ...]:
    out: list[LabResult] = []
    for group, item, name in LAB_ITEMS:
        value = getattr(e, name)
        if value is None or value == "":
            continue
        out.append(LabResult(group, item, value if isinstance(value, str) else Decimal(str(value))))
    for group, result, text in (("心电图", e.ecg, e.ecg_text), ("B超", e.ultrasound, e.ultrasound_text)):
        line = _imaging(group, result, text)
        if line is not None:
            out.append(line)
    return tuple(out)


def exam_slip(ws: Workspace, exam_id: str) -> ExamSlipData:
    """A stored exam as the result slip handed to the person."""
    e = ws.care.exam(exam_id)
    p = ws.people.get(e.person_id)
    lines = tuple(line.strip() for line in e.abnormalities.splitlines() if line.strip())
    return ExamSlipData(
        patient=patient_of(ws, p, e.exam_date), exam_date=e.exam_date,
        clinic=ws.settings.get("clinic_name"), physical=physical_of(e), doctor=e.doctor,
        tests=lab_results(e), conclusion=e.conclusion, abnormalities=lines,
        guidance=tuple(form_code(exam_codes.GUIDANCE, g) for g in e.guidance
                       if g in exam_codes.GUIDANCE),
        risk_control=tuple(form_code(exam_codes.RISK_CONTROL, r) for r in e.risk_control
                           if r in exam_codes.RISK_CONTROL),
        weight_goal_kg=_dec(e.weight_goal), vaccine=e.vaccine, advice=e.advice,
        clinic_phone=ws.settings.get("phone"), informed_on=e.result_returned_on,
    )


# --- the referral slip ------------------------------------------------------------------------


def _readings(f: FollowUp) -> str:
    parts = []
    if f.sbp is not None and f.dbp is not None:
        parts.append(f"血压{f.sbp}/{f.dbp} mmHg")
    if f.glucose is not None:
        parts.append(f"空腹血糖{f.glucose:g} mmol/L")
    if f.heart_rate:
        parts.append(f"心率{f.heart_rate}次/分")
    symptoms = [s for s in f.symptoms if s != "无症状"] + f.danger_signs
    if symptoms:
        parts.append("、".join(symptoms))
    return "，".join(parts)


def referral_slip(ws: Workspace, followup_id: str) -> ReferralData:
    """The 转诊单 for a follow-up that referred the patient."""
    f = ws.care.followup(followup_id)
    p = ws.people.get(f.person_id)
    reason = f.referral.reason if f.referral and f.referral.reason else "；".join(f.suggested_reasons)
    hospital = f.referral.hospital if f.referral else ""
    history = [f"{d.condition}（{d.confirmed_on:%Y年%m月}确诊）" if d.confirmed_on else d.condition
               for d in ws.people.diagnoses(str(p.id))]
    drugs = "；".join(f"{d.name} {d.usage or _usage(d)}".strip() for d in f.medications)
    kind = "高血压" if f.kind == "高血压" else "2型糖尿病"
    return ReferralData(
        patient=patient_of(ws, p, f.visit_date), from_clinic=ws.settings.get("clinic_name"),
        from_doctor=f.doctor, to_hospital=hospital, reason=reason or f"{kind}随访转诊",
        urgent=f.measure == "紧急转诊", impression=kind,
        present_history=f"{f.visit_date:%Y年%m月%d日}{f.method}随访：{_readings(f)}。"
        if _readings(f) else "",
        past_history="；".join(history), treatment=drugs, referred_on=f.visit_date,
        from_phone=ws.settings.get("phone"),
    )
