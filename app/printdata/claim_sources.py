"""The settlement form's input built from a stored claim (`settlement_form(ws, claim_id)`); the form
of a settlement alone (samples, previews of an estimate) is app.printing.settlement_data's.

The layer lines are the engine's (base, deductible, ratio, rule); a claim typed from the
hospital's slip adds the slip's amount per layer, and its totals are the slip's.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from app.core.identity import age_on
from app.core.people import SEXES
from app.printing.care_models import Patient
from app.printing.settlement import SettlementFormData
from app.printing.settlement_data import category_text, form_from_settlement, layer_lines, year_line

if TYPE_CHECKING:
    from app.storage.workspace import Workspace


def _operator(ws: Workspace, username: str) -> str:
    """Who entered the claim, by the user's name; nothing for entries made without signing in."""
    user = next((u for u in ws.users.list() if u.username == username), None)
    return user.display_name if user is not None else ""


def settlement_form(ws: Workspace, claim_id: str) -> SettlementFormData:
    """The form of a stored claim, with the person's year as of that claim."""
    line = ws.claims.line(claim_id)
    c, s = line.claim, line.settlement
    p = ws.people.get(c.person_id)
    h = ws.households.get(str(p.household_id))
    village = ws.settings.division_name(h.village_code) + (h.group_name or "")
    patient = Patient(name=p.name, record_no=p.record_no, sex=SEXES.get(p.sex, ""),
                      age=age_on(p.birth_date, c.admitted) if p.birth_date else None,
                      id_no=p.id_no, phone=p.phone, address=h.address,
                      record_provisional=p.record_provisional)
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
        from_slip=line.from_slip, clinic=ws.settings.get("clinic_name"), reversed_note=reversed_note,
        notes=(c.note,) if c.note else (),
    )
