"""The 工作台: what the doctor has to do, as of a day, from plain rows.

Lines are made for
- follow-ups (高血压随访, 糖尿病随访): due on the last visit's confirmed next date (or `routine_days`
  after it when none was set); a patient with the diagnosis and no follow-up yet is due from the
  diagnosis date. Listed when overdue, due today or due within `window_days`;
- 转诊随访: the patient's last follow-up of a kind referred (by its measure or a written referral)
  and no 转诊结果 is recorded; due `recheck_days` after that visit; the same window;
- 年度体检: a resident of an exam group without an exam this calendar year (due by 31 December);
- 体检结果反馈: an exam of this or last calendar year whose result has not been given back
  `return_days` after it;
- 签约到期: a live contract whose term ends within the reminder days (see app.core.contracts).
Each line names the form it opens. Counts are per village group and per kind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import NamedTuple

from app.core.exams import ExamSettings, exam_reasons, return_due
from app.core.followup_rules import FollowUpSettings
from app.core.followups import CONDITION_KIND
from app.core.settings import dump_settings, load_settings

SETTINGS_PREFIX = "tasks"
FOLLOWUP_KINDS = {"高血压": "高血压随访", "糖尿病": "糖尿病随访"}
REFERRAL = "转诊随访"
EXAM = "年度体检"
EXAM_RETURN = "体检结果反馈"
CONTRACT = "签约到期"
TASK_KINDS: tuple[str, ...] = (*FOLLOWUP_KINDS.values(), REFERRAL, EXAM, EXAM_RETURN, CONTRACT)
STATUSES = {"overdue": "逾期", "today": "今天到期", "upcoming": "即将到期"}
# Results still to give back are looked for in this many calendar years (this one and the last):
# an older exam has been followed by a newer yearly cycle, which the 年度体检 line covers.
RETURN_YEARS = 2


@dataclass(frozen=True)
class TaskSettings:
    """Stored as `tasks_<field>` in the settings table."""

    window_days: int = 7


def task_settings(values: Mapping[str, str]) -> TaskSettings:
    from app.core.errors import ValidationError

    s = load_settings(TaskSettings, SETTINGS_PREFIX, values)
    if not 0 <= s.window_days <= 90:
        raise ValidationError("工作台提前提醒天数应在0–90之间", field="tasks_window_days")
    return s


def task_settings_values(s: TaskSettings) -> dict[str, str]:
    return dump_settings(s, SETTINGS_PREFIX)


# --- input rows (named tuples: thousands are made for every refresh) ------------------------


class PersonRow(NamedTuple):
    """A living resident who may have tasks: diagnoses (condition → date confirmed) and place."""

    id: str
    name: str
    record_no: str
    village: str
    group: str
    birth_date: dt.date | None
    conditions: Mapping[str, dt.date | None] = MappingProxyType({})
    exam_this_year: dt.date | None = None       # this calendar year's exam, if any


class LastFollowUp(NamedTuple):
    """A patient's latest current follow-up of one kind, and this year's face-to-face count."""

    id: str
    person_id: str
    kind: str
    visit_date: dt.date
    next_date: dt.date | None
    refers: bool
    referral_result: str = ""
    face_to_face: int | None = None             # this year's 门诊/家庭 visits; None: not counted
    classification: str = ""


class ExamRow(NamedTuple):
    """A current exam whose result may still be due (this or last calendar year). Whether a
    person was examined this year also comes from `PersonRow.exam_this_year`."""

    id: str
    person_id: str
    exam_date: dt.date
    returned_on: dt.date | None


class ContractRow(NamedTuple):
    """A live contract ending within the reminder days, shown on its household head."""

    id: str
    contract_no: str
    end: dt.date
    person_id: str
    name: str
    record_no: str
    village: str
    group: str


# --- output ----------------------------------------------------------------------------------


@dataclass(slots=True)
class TaskLine:
    """One thing to do. `form` is what the UI opens: followup:高血压, followup:糖尿病,
    referral-check, exam or contract; `ref_id` the follow-up, exam or contract it concerns."""

    kind: str
    form: str
    person_id: str
    name: str
    record_no: str
    village: str
    group: str
    due: dt.date
    status: str                 # overdue | today | upcoming
    days_overdue: int           # 0 unless overdue
    ref_id: str | None = None
    detail: str = ""
    face_to_face: int | None = None             # follow-up lines: this year's face-to-face visits

    @property
    def overdue(self) -> bool:
        """Past its due day, whatever its kind: what 逾期 means on the 工作台, its chip and its CLI."""
        return self.status == "overdue"


@dataclass
class TaskList:
    """The 工作台 for one day: the lines, most overdue first, and their counts."""

    today: dt.date
    lines: list[TaskLine]
    by_kind: dict[str, int]
    by_group: dict[str, dict[str, int]]
    overdue_by_kind: dict[str, int]

    @property
    def total(self) -> int:
        return len(self.lines)

    @property
    def overdue(self) -> int:
        """Lines past their due day, of every kind (the sum of `overdue_by_kind`)."""
        return sum(1 for line in self.lines if line.overdue)


def _status(due: dt.date, today: dt.date) -> tuple[str, int]:
    if due < today:
        return "overdue", (today - due).days
    return ("today" if due == today else "upcoming"), 0


def _line(kind: str, form: str, p: PersonRow, due: dt.date, today: dt.date,
          ref_id: str | None, detail: str, face_to_face: int | None = None) -> TaskLine:
    status, late = _status(due, today)
    return TaskLine(kind, form, p.id, p.name, p.record_no, p.village, p.group, due, status, late,
                    ref_id, detail, face_to_face)


def followup_due(last: LastFollowUp | None, diagnosed: dt.date | None, today: dt.date,
                 fs: FollowUpSettings) -> dt.date:
    """When a patient's next follow-up is due: the date the last visit booked (`routine_days`
    after it if none), or the diagnosis date (today if unknown) when there is no visit yet."""
    if last is None:
        return diagnosed or today
    return last.next_date or last.visit_date + dt.timedelta(days=fs.routine_days)


def _followup_lines(p: PersonRow, last: Mapping[tuple[str, str], LastFollowUp], today: dt.date,
                    horizon: dt.date, fs: FollowUpSettings, add: Callable[[TaskLine], None]) -> None:
    for condition, confirmed in p.conditions.items():
        kind = CONDITION_KIND.get(condition)
        if kind is None:
            continue
        f = last.get((p.id, kind))
        due = followup_due(f, confirmed, today, fs)
        if f is None:
            if due <= horizon:
                add(_line(FOLLOWUP_KINDS[kind], f"followup:{kind}", p, due, today, None,
                          f"尚无{kind}随访记录", 0))
            continue
        if due <= horizon:
            add(_line(FOLLOWUP_KINDS[kind], f"followup:{kind}", p, due, today, f.id,
                      f"上次随访 {f.visit_date}", f.face_to_face))
        if f.refers and not f.referral_result:
            due = f.visit_date + dt.timedelta(days=fs.recheck_days)
            if due <= horizon:
                add(_line(REFERRAL, "referral-check", p, due, today, f.id,
                          f"{f.visit_date} {kind}随访时转诊，尚无转诊结果"))


def _exam_lines(p: PersonRow, exams: Sequence[ExamRow], today: dt.date, es: ExamSettings,
                add: Callable[[TaskLine], None]) -> None:
    examined = p.exam_this_year is not None and p.exam_this_year.year == today.year
    if not examined and not any(e.exam_date.year == today.year for e in exams):
        reasons = exam_reasons(p.birth_date, p.conditions, today.year, es)
        if reasons:
            add(_line(EXAM, "exam", p, dt.date(today.year, 12, 31), today, None,
                      f"今年尚未体检（{'、'.join(reasons)}）"))
    for e in exams:
        if (e.returned_on is None and e.exam_date.year >= today.year - RETURN_YEARS + 1
                and today > (due := return_due(e.exam_date, es))):
            add(_line(EXAM_RETURN, "exam", p, due, today, e.id, f"{e.exam_date} 体检，结果尚未反馈"))


def _contract_line(c: ContractRow, today: dt.date) -> TaskLine:
    p = PersonRow(c.person_id, c.name, c.record_no, c.village, c.group, None)
    left = (c.end - today).days
    return _line(CONTRACT, "contract", p, c.end, today, c.id,
                 f"协议 {c.contract_no} 于 {c.end} 到期（剩 {left} 天）")


def _group_label(line: TaskLine, many_villages: bool) -> str:
    return f"{line.village}{line.group}" if many_villages else line.group


def _matches(line: TaskLine, group: str) -> bool:
    return group in (line.group, f"{line.village}{line.group}")


def compute_tasks(
    today: dt.date, people: Iterable[PersonRow], followups: Iterable[LastFollowUp],
    exams: Iterable[ExamRow], contracts: Iterable[ContractRow], *, fs: FollowUpSettings,
    es: ExamSettings, ts: TaskSettings, group: str | None = None,
) -> TaskList:
    """The 工作台 of `today`, optionally for one village group (a group name, or village+group)."""
    horizon = today + dt.timedelta(days=ts.window_days)
    last = {(f.person_id, f.kind): f for f in followups}
    by_person: dict[str, list[ExamRow]] = {}
    for e in exams:
        by_person.setdefault(e.person_id, []).append(e)
    lines: list[TaskLine] = []
    add = lines.append
    for p in people:
        if p.conditions:
            _followup_lines(p, last, today, horizon, fs, add)
        _exam_lines(p, by_person.get(p.id, ()), today, es, add)
    lines += (_contract_line(c, today) for c in contracts)
    if group is not None:
        lines = [line for line in lines if _matches(line, group)]
    lines.sort(key=lambda x: (x.due, x.village, x.group, x.record_no, TASK_KINDS.index(x.kind)))
    return count(today, lines)


def count(today: dt.date, lines: list[TaskLine]) -> TaskList:
    """Counts per kind, per village group (and kind) and overdue per kind."""
    many = len({line.village for line in lines}) > 1
    by_kind = dict.fromkeys(TASK_KINDS, 0)
    overdue = dict.fromkeys(TASK_KINDS, 0)
    by_group: dict[str, dict[str, int]] = {}
    for line in lines:
        by_kind[line.kind] += 1
        overdue[line.kind] += line.overdue
        counts = by_group.setdefault(_group_label(line, many), {})
        counts[line.kind] = counts.get(line.kind, 0) + 1
    return TaskList(today, lines, by_kind, dict(sorted(by_group.items())), overdue)


# --- the patient register (慢病患者管理台账) ----------------------------------------------------


@dataclass(slots=True)
class PatientLine:
    """One patient of a kind with their follow-up state as of a day: the 随访 page's list."""

    person_id: str
    name: str
    record_no: str
    village: str
    group: str
    kind: str
    diagnosed_on: dt.date | None
    last_visit: dt.date | None
    last_class: str
    followup_id: str | None
    due: dt.date
    status: str                 # overdue | today | upcoming | scheduled
    days_overdue: int
    face_to_face: int           # this calendar year's 门诊/家庭 visits
    needed: int                 # face-to-face visits still missing this year
    referral_pending: bool


def patient_register(today: dt.date, people: Iterable[PersonRow], followups: Iterable[LastFollowUp],
                     *, fs: FollowUpSettings, ts: TaskSettings, kind: str | None = None,
                     group: str | None = None) -> list[PatientLine]:
    """Every 高血压/糖尿病 patient (of one kind and group if given), most overdue first."""
    horizon = today + dt.timedelta(days=ts.window_days)
    last = {(f.person_id, f.kind): f for f in followups}
    out = []
    for p in people:
        if group is not None and group not in (p.group, f"{p.village}{p.group}"):
            continue
        for condition, confirmed in p.conditions.items():
            k = CONDITION_KIND.get(condition)
            if k is None or (kind is not None and k != kind):
                continue
            f = last.get((p.id, k))
            due = followup_due(f, confirmed, today, fs)
            status, late = _status(due, today)
            status = status if due <= horizon else "scheduled"
            done = (f.face_to_face or 0) if f else 0
            out.append(PatientLine(
                p.id, p.name, p.record_no, p.village, p.group, k, confirmed,
                f.visit_date if f else None, f.classification if f else "", f.id if f else None,
                due, status, late, done, max(0, fs.min_face_to_face - done),
                bool(f and f.refers and not f.referral_result)))
    out.sort(key=lambda x: (x.due, x.village, x.group, x.record_no, x.kind))
    return out
