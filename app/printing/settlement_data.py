"""The settlement form's data made from the engine's Settlement alone: the layer lines, the
year to date and the form of an estimate (`form_from_settlement`, for samples and previews).

No database here: a stored claim's form is assembled by app.printdata.claim_sources.
"""

from __future__ import annotations

from decimal import Decimal

from app.core.claims import LayerCheck
from app.core.settlement import Settlement, YearToDate, percent
from app.printing.care_models import Patient
from app.printing.settlement import LayerLine, SettlementFormData, WaiverLine, YearToDateLine

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
