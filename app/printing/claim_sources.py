"""The settlement form's input built from a stored claim (`settlement_form(ws, claim_id)`), and from
a settlement alone (`form_from_settlement`, for samples and previews of an estimate).

The layer lines are the engine's (base, deductible, ratio, rule); a claim typed from the
hospital's slip adds the slip's amount per layer, and its totals are the slip's.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING

from app.core.claims import LayerCheck
from app.core.identity import age_on
from app.core.people import SEXES
from app.core.settlement import Settlement, YearToDate, percent
from app.printing.care_models import Patient
from app.printing.settlement import LayerLine, SettlementFormData, WaiverLine, YearToDateLine

if TYPE_CHECKING:
    from app.storage.workspace import Workspace

CATEGORY_NAMES = {"建档立卡": "建档立卡贫困人口", "脱贫户": "脱贫人口", "监测户": "防返贫监测对象",
                  "低保": "低保对象", "特困": "特困人员", "普通": "普通参保人员"}


def category_text(categories: tuple[str, ...]) -> str:
    """The person categories as printed: 建档立卡贫困人口、低保对象."""
    return "、".join(CATEGORY_NAMES.get(c, c) for c in categories) or CATEGORY_NAMES["普通"]


def layer_lines(s: Settlement, checks: tuple[LayerCheck, ...] = ()) -> tuple[LayerLine, ...]:
    """One printed line per layer of the settlement, with the slip's amount when checked."""
    slips = {k.name: k for k in checks}
    out = []
    for x in s.layers:
        deductible: Decimal | None
        if x.kind == "兜底":
            ratio, deductible = "兜底", None   # no deductible; the ceiling is in the rule
        else:
            ratio = "分段" if x.ratio is None else percent(x.ratio)
            deductible = x.deductible_used
        rule = x.rule + ("；" + "；".join(x.notes) if x.notes else "")
        check = slips.get(x.name)
        out.append(LayerLine(x.name, x.base, deductible, ratio, x.amount, rule, x.applies,
                             check.slip if check else None, bool(check and check.flagged)))
    for name, check in slips.items():
        if name not in {x.name for x in s.layers} and name != "个人自付" and check.slip is not None:
            out.append(LayerLine(name, Decimal("0.00"), Decimal("0.00"), "—", Decimal("0.00"),
                                 "结算单上有，政策包中没有这一层", True, check.slip, check.flagged))
    return tuple(out)


def year_line(y: YearToDate, year: int) -> YearToDateLine:
    return YearToDateLine(year=y.year or year, claims=y.claims, inpatient_stays=y.inpatient_stays,
                          total=y.total, reimbursed=y.reimbursed, self_pay=y.self_pay,
                          layers=tuple((name, t.paid) for name, t in y.layers.items() if t.paid))


def form_from_settlement(s: Settlement, patient: Patient, *, hospital: str, settlement_no: str = "",
                         category: str = "", insurance_type: str = "城乡居民基本医疗保险",
                         insurance_no: str = "", village: str = "",
                         operator: str = "") -> SettlementFormData:
    """The form of an estimate: every amount is the engine's."""
    c = s.claim
    return SettlementFormData(
        settlement_no=settlement_no, hospital=hospital, level=c.level, settled_on=c.date,
        patient=patient, category=category or category_text(tuple(sorted(c.person))),
        insurance_type=insurance_type, insurance_no=insurance_no, village=village,
        episode=c.episode, scope=c.scope, referred=c.referred, admitted=c.admitted,
        discharged=c.discharged, days=max(1, (c.discharged - c.admitted).days),
        diagnosis=c.diagnosis, disease=c.disease, total=c.total, out_of_catalogue=c.out_of_catalogue,
        policy_scope=s.policy_scope, waivers=_waivers(s), waived=s.waived, layers=layer_lines(s),
        reimbursed=s.reimbursed, self_pay=s.self_pay, ratio_actual=s.ratio_actual,
        year_to_date=year_line(s.year_to_date, c.date.year),
        pack_title=s.pack.title, pack_example=s.pack.example, estimate=True, operator=operator,
    )


def _waivers(s: Settlement) -> tuple[WaiverLine, ...]:
    return tuple(WaiverLine(w.fee, w.charged, percent(w.ratio), w.amount, w.name) for w in s.waivers)


def _operator(ws: Workspace, username: str) -> str:
    """Who entered the claim, by the user's name; nothing for entries made without signing in."""
    user = next((u for u in ws.users() if u.username == username), None)
    return user.display_name if user is not None else ""


def settlement_form(ws: Workspace, claim_id: str) -> SettlementFormData:
    """The form of a stored claim, with the person's year as of that claim."""
    line = ws.claims.line(claim_id)
    c, s = line.claim, line.settlement
    p = ws.person(c.person_id)
    h = ws.household(str(p.household_id))
    village = ws.division_name(h.village_code) + (h.group_name or "")
    patient = Patient(name=p.name, record_no=p.record_no, sex=SEXES.get(p.sex, ""),
                      age=age_on(p.birth_date, c.admitted) if p.birth_date else None,
                      id_no=p.id_no, phone=p.phone, address=h.address)
    reversed_note = ""
    if c.reverses:
        reversed_note = f"本单为冲账记录，冲销结算 {c.reverses}；原因：{c.reason}"
    elif line.reversed_by:
        reversed_note = f"本结算已冲账（冲账记录 {line.reversed_by}），不再计入本年度累计。"
    elif line.duplicate_of:
        reversed_note = f"本结算单已录入过（以记录 {line.duplicate_of} 为准），本条不计入本年度累计。"
    data = form_from_settlement(
        s, patient, hospital=c.hospital, settlement_no=c.settlement_no,
        category=category_text(line.categories), insurance_type=p.insurance_type,
        insurance_no=p.insurance_no, village=village, operator=_operator(ws, c.entered_by))
    return replace(
        data, layers=layer_lines(s, line.checks), reimbursed=line.reimbursed, self_pay=line.self_pay,
        ratio_actual=line.ratio_actual,
        year_to_date=year_line(line.year_to_date, c.year), estimate=not line.from_slip,
        from_slip=line.from_slip, clinic=ws.setting("clinic_name"), reversed_note=reversed_note,
        notes=(c.note,) if c.note else (),
    )
