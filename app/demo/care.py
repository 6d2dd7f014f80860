"""Demo care history: five calendar years of follow-ups and yearly exams for a demo village.

Every hypertension and diabetes patient is followed from their diagnosis (or the start of the
window) to today or to their death or departure. Most are seen about four times a year on the
date the rules suggest; some come late, a few stop coming (so they are overdue now), a few visits
are by phone. Values are drawn around each patient's own level, so some visits are 控制不满意,
some patients are referred (most referrals get a result), and each visit's class, measure and
next date come from `app.core.followup_rules` exactly as a saved visit's would. Residents of the
exam groups get about one exam a year; a few results are never given back. Rows are written in
bulk through the Tracker, one version and outbox entry each, with their own random stream per
village so the people of the demo stay the same as before.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from app.core.exams import EXAM_CONDITIONS, ExamSettings, HealthExam, exam_reasons
from app.core.followup_rules import FollowUpSettings, apply_suggestion, suggest
from app.core.followups import CONDITION_KIND, REFERRAL_MEASURES, Drug, FollowUp, Referral
from app.core.identity import age_on
from app.core.ids import uuid7
from app.storage.exams import exam_values
from app.storage.followups import followup_values
from app.storage.workspace import Workspace

YEARS = 5
_HTN_DRUGS = (("氨氯地平片", 1, 5.0), ("硝苯地平缓释片", 2, 10.0), ("缬沙坦胶囊", 1, 80.0),
              ("厄贝沙坦片", 1, 150.0), ("依那普利片", 2, 10.0), ("氢氯噻嗪片", 1, 12.5),
              ("美托洛尔缓释片", 1, 47.5))
_DM_DRUGS = (("二甲双胍片", 3, 500.0), ("格列美脲片", 1, 2.0), ("阿卡波糖片", 3, 50.0),
             ("格列齐特缓释片", 1, 30.0))
_REFERRAL_TO = {"高血压": ("永靖县人民医院 心血管内科", "临夏州人民医院 心血管内科"),
                "糖尿病": ("永靖县人民医院 内分泌科", "临夏州人民医院 内分泌科")}
_DOCTORS = ("王医生", "李医生", "马医生", "张医生")


@dataclass
class CarePerson:
    """What the care history needs of a demo resident."""

    id: str
    sex: str
    birth: dt.date
    living_status: str
    status_date: dt.date | None
    conditions: dict[str, dt.date | None] = field(default_factory=dict)


@dataclass
class _Body:
    height: float
    weight: float
    sbp: float
    glucose: float
    smokes: int
    drinks: float


@dataclass
class _Rows:
    followups: list[dict[str, Any]] = field(default_factory=list)
    results: list[dict[str, Any]] = field(default_factory=list)
    exams: list[dict[str, Any]] = field(default_factory=list)
    returns: list[dict[str, Any]] = field(default_factory=list)


class _History:
    """Draws one village's follow-ups and exams from its own random stream."""

    def __init__(self, rng: random.Random, today: dt.date) -> None:
        self.rng = rng
        self.today = today
        self.window = dt.date(today.year - YEARS + 1, 1, 1)
        self.fs = FollowUpSettings()
        self.es = ExamSettings()
        self.doctor = rng.choice(_DOCTORS)
        self.rows = _Rows()

    def body(self, p: CarePerson) -> _Body:
        rng = self.rng
        height = rng.gauss(167, 6) if p.sex == "1" else rng.gauss(156, 5)
        bmi = min(34.0, max(18.0, rng.gauss(24.5, 3)))
        return _Body(height=round(height, 1), weight=round(bmi * (height / 100) ** 2, 1),
                     sbp=rng.gauss(131, 7), glucose=rng.gauss(6.3, 0.7),
                     smokes=rng.choice((0, 0, 5, 10, 20)) if p.sex == "1" else 0,
                     drinks=rng.choice((0.0, 0.0, 0.0, 1.0, 2.0)) if p.sex == "1" else 0.0)

    def end_of(self, p: CarePerson) -> dt.date:
        if p.living_status in ("死亡", "迁出") and p.status_date:
            return min(p.status_date, self.today)
        return self.today

    # --- follow-ups ---

    def patient(self, p: CarePerson, body: _Body, condition: str, confirmed: dt.date | None) -> None:
        rng, kind = self.rng, CONDITION_KIND[condition]
        diagnosed = confirmed or self.window
        day = (diagnosed + dt.timedelta(days=rng.randint(0, 20)) if diagnosed >= self.window
               else self.window + dt.timedelta(days=rng.randint(0, 85)))
        style = rng.random()                   # < .8 regular, < .95 sometimes late, else stops
        end = self.end_of(p)
        if style >= 0.95:
            end = min(end, self.today - dt.timedelta(days=rng.randint(100, 600)))
        drugs = self._drugs(kind)
        history: list[FollowUp] = []
        while day <= end:
            f = self._visit(p, body, kind, day, style, drugs, history)
            history.append(f)
            assert f.next_date is not None
            late = rng.randint(-5, 8)
            if style >= 0.8 and rng.random() < 0.25:
                late += rng.randint(20, 120)
            day = max(f.next_date + dt.timedelta(days=late), day + dt.timedelta(days=7))

    def _drugs(self, kind: str) -> list[Drug]:
        rng = self.rng
        table = _HTN_DRUGS if kind == "高血压" else _DM_DRUGS
        drugs = [Drug(name, times, dose) for name, times, dose in rng.sample(table, rng.choice((1, 1, 2)))]
        if kind == "糖尿病" and rng.random() < 0.1:
            drugs.append(Drug("甘精胰岛素", 1, float(rng.randint(8, 20)), "U", insulin=True,
                              usage="睡前皮下注射"))
        return drugs

    def _measure(self, f: FollowUp, body: _Body, history: list[FollowUp]) -> None:
        rng = self.rng
        eased = 12.0 if history and history[-1].classification == "控制不满意" else 0.0
        sbp = rng.gauss(body.sbp - eased, 8) if rng.random() > 0.004 else rng.uniform(180, 196)
        f.sbp = int(min(200, max(96, round(sbp))))
        f.dbp = int(min(f.sbp - 25, max(56, round(f.sbp * 0.62 + rng.gauss(0, 5)))))
        f.heart_rate = int(rng.gauss(76, 8))
        f.weight = round(body.weight + rng.gauss(0, 1.2), 1)
        f.weight_target = round(min(body.weight, 24 * (body.height / 100) ** 2), 1)
        if f.kind == "糖尿病":
            glucose = rng.gauss(body.glucose - eased / 8, 0.8)
            if rng.random() < 0.004:
                glucose = rng.choice((rng.uniform(16.7, 20.0), rng.uniform(3.0, 3.9)))
            f.glucose = round(max(3.0, glucose), 1)

    def _visit(self, p: CarePerson, body: _Body, kind: str, day: dt.date, style: float,
               drugs: list[Drug], history: list[FollowUp]) -> FollowUp:
        rng = self.rng
        phone = rng.random() < (0.04 if style < 0.8 else 0.15)
        f = FollowUp(id=None, person_id=p.id, kind=kind, visit_date=day,
                     method="电话" if phone else rng.choice(("门诊", "门诊", "家庭")),
                     doctor=self.doctor, height=body.height, symptoms=["无症状"])
        if not phone:
            self._measure(f, body, history)
        if rng.random() < 0.12:
            f.symptoms = [rng.choice(("头痛头晕", "心悸胸闷", "四肢发麻") if kind == "高血压"
                                     else ("多饮", "多尿", "视力模糊", "手脚麻木"))]
        f.smoking, f.smoking_target = body.smokes, max(0, body.smokes - 5)
        f.drinking, f.drinking_target = body.drinks, min(body.drinks, 1.0)
        f.exercise_times, f.exercise_minutes = rng.choice((0, 3, 5, 7)), rng.choice((20, 30, 45, 60))
        f.exercise_times_target, f.exercise_minutes_target = 5, 30
        if kind == "高血压":
            f.salt, f.salt_target = rng.choice(("轻", "中", "中", "重")), "轻"
        else:
            f.staple_food, f.staple_food_target = rng.choice((250, 300, 350, 400)), 250
            f.foot_pulse = "触及正常" if rng.random() < 0.95 else "减弱"
            f.foot_pulse_side = "" if f.foot_pulse == "触及正常" else "双侧"
            f.hypoglycemia = "无" if rng.random() < 0.95 else "偶尔"
        f.psychology, f.compliance = rng.choice(("良好", "良好", "一般")), rng.choice(("良好", "一般"))
        f.adherence = rng.choices(("规律", "间断", "不服药"), weights=(82, 14, 4))[0]
        f.adverse_reaction = rng.random() < 0.01
        f.adverse_text = "干咳" if f.adverse_reaction else ""
        f.complication = rng.random() < 0.004
        f.medications = list(drugs)
        s = suggest(f, history, self.fs, age=age_on(p.birth, day))
        if rng.random() < 0.03:          # the doctor books a later date than suggested
            f.next_date = s.next_date + dt.timedelta(days=rng.randint(5, 20))
        apply_suggestion(f, s)
        if f.classification == "控制不满意" and not phone:
            f.adjustments = [Drug(name, times, dose) for name, times, dose in
                             [rng.choice(_HTN_DRUGS if kind == "高血压" else _DM_DRUGS)]]
        f.origin_id = uuid7()
        if f.measure in REFERRAL_MEASURES:
            self._referral(f)
        self._store_followup(f)
        return f

    def _store_followup(self, f: FollowUp) -> None:
        """The visit's row (its id is its origin), and now and then a corrected version."""
        assert f.origin_id is not None
        new_id = f.origin_id
        values = followup_values(f)
        values["id"] = new_id
        self.rows.followups.append(values)
        if self.rng.random() < 0.01 and f.weight is not None:
            fixed = dataclasses.replace(f, id=None, supersedes=new_id, note="更正：体重录入有误",
                                        weight=round(f.weight + self.rng.choice((-1.0, 1.0)), 1))
            values = followup_values(fixed)
            values["id"] = uuid7()
            self.rows.followups.append(values)

    def _referral(self, f: FollowUp) -> None:
        """Write the referral on the form; most get a 转诊结果 within two weeks."""
        rng = self.rng
        reason = "危急情况，紧急转诊" if f.measure == "紧急转诊" else (
            "连续两次控制不满意" if f.classification == "控制不满意" else "出现并发症或原有并发症加重")
        f.referral = Referral(reason, rng.choice(_REFERRAL_TO[f.kind]), "")
        checked = f.visit_date + dt.timedelta(days=rng.randint(3, 14))
        if checked <= self.today and rng.random() < 0.95:
            self.rows.results.append({"id": uuid7(), "followup_id": f.origin_id,
                                      "result": "到位" if rng.random() < 0.85 else "不到位",
                                      "checked_on": checked, "doctor": self.doctor, "note": ""})

    # --- exams ---

    def exams(self, p: CarePerson, body: _Body) -> None:
        rng, end = self.rng, self.end_of(p)
        for year in range(self.window.year, self.today.year + 1):
            held = {c for c, d in p.conditions.items() if d is None or d.year <= year}
            if not exam_reasons(p.birth, held, year, self.es) or rng.random() > 0.85:
                continue
            day = dt.date(year, 3, 1) + dt.timedelta(days=rng.randint(0, 274))
            if day > end:
                continue
            self._exam(p, body, day, held)

    def _exam(self, p: CarePerson, body: _Body, day: dt.date, held: set[str]) -> None:
        rng = self.rng
        sbp = int(min(200, max(96, round(rng.gauss(body.sbp, 9)))))
        ill = sorted(held)
        e = HealthExam(
            id=None, person_id=p.id, exam_date=day, doctor=self.doctor, symptoms=["无症状"],
            temperature=round(rng.uniform(36.1, 37.0), 1), pulse=int(rng.gauss(76, 8)),
            respiration=rng.randint(16, 20), sbp_left=sbp, dbp_left=int(sbp * 0.62),
            height=body.height, weight=round(body.weight + rng.gauss(0, 1), 1),
            waist=round(body.weight * 1.1 + rng.gauss(8, 4), 1), skin="正常", lymph_nodes="未触及",
            heart_rate=int(rng.gauss(76, 8)), heart_rhythm="齐", heart_murmur="无",
            breath_sounds="正常", rales="无", exercise=rng.choice(("每天", "偶尔", "不锻炼")),
            diet=["荤素均衡"], smoking="吸烟" if body.smokes else "从不吸烟",
            cigarettes_per_day=body.smokes or None, drinking="偶尔" if body.drinks else "从不",
            hb=round(rng.gauss(135 if p.sex == "1" else 122, 10)), wbc=round(rng.uniform(4.0, 9.5), 1),
            plt=round(rng.uniform(130, 320)), urine_protein="-", urine_glucose="-",
            glucose=round(max(3.9, rng.gauss(body.glucose if "2型糖尿病" in held else 5.2, 0.6)), 1),
            alt=round(rng.uniform(10, 45)), creatinine=round(rng.uniform(50, 105)),
            tc=round(rng.uniform(3.5, 6.2), 2), tg=round(rng.uniform(0.8, 2.4), 2),
            ecg="正常" if rng.random() < 0.85 else "异常",
            conclusion="一般疾病" if ill else rng.choice(("健康", "亚健康")),
            abnormalities="、".join(ill), guidance=["纳入慢性病患者健康管理"] if ill else [],
            risk_control=["饮食", "锻炼"] + (["戒烟"] if body.smokes else []))
        if e.ecg == "异常":
            e.ecg_text = "ST-T改变"
        new_id = uuid7()
        e.origin_id = new_id
        values = exam_values(e)
        values["id"] = new_id
        self.rows.exams.append(values)
        back = day + dt.timedelta(days=rng.randint(2, 14))
        recent = (self.today - day).days <= 60
        if back <= self.today and rng.random() < (0.7 if recent else 0.99):
            self.rows.returns.append({"id": uuid7(), "exam_id": new_id, "returned_on": back,
                                      "doctor": self.doctor, "note": ""})


def write_village(ws: Workspace, people: list[CarePerson], village_code: str, today: dt.date,
                  rng: random.Random) -> tuple[int, int]:
    """Write one village's care history inside the caller's transaction; (follow-ups, exams)."""
    h = _History(rng, today)
    for p in people:
        wanted = [c for c in p.conditions if c in CONDITION_KIND]
        grouped = any(c in EXAM_CONDITIONS for c in p.conditions) or today.year - p.birth.year >= 60
        if not wanted and not grouped:
            continue
        body = h.body(p)
        for condition in wanted:
            h.patient(p, body, condition, p.conditions[condition])
        h.exams(p, body)
    for table, rows in (("follow_ups", h.rows.followups), ("referral_results", h.rows.results),
                        ("health_exams", h.rows.exams), ("exam_returns", h.rows.returns)):
        ws.tracker.bulk_insert(table, rows, partition=village_code)
    return len(h.rows.followups), len(h.rows.exams)
