"""Medical claims (就医结算) and their settlement on a Workspace.

Reached as `workspace.claims`. Every write goes through the Workspace's Tracker inside one
transaction and is audited. Claims are append-only: a reversal (冲账) is a new row naming the
cancelled one.

Year to date: a claim is settled with the sums of the person's earlier claims of the same
calendar year (by settlement date, then admission, then entry order), counting only slips
(结算单) that are neither reversed nor reversals. Where a slip carries the hospital's amounts those
stand (the hospital's settlement is authoritative); otherwise the engine's estimate does. Stored
estimates (预估) are settled the same way but never count toward anyone's year.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core.chains import Link, winner
from app.core.claims import (
    SLIP,
    Claim,
    LayerCheck,
    as_prior,
    check_claim,
    compare,
    outcome,
    person_categories,
    ratio_actual,
    tolerance_from,
)
from app.core.errors import ConflictError, NotFoundError, ValidationError
from app.core.ids import RecordId
from app.core.policy import PolicyPack
from app.core.settlement import Settlement, YearToDate, settle
from app.core.text import clean
from app.storage import chains
from app.storage.changes import Changes
from app.storage.engine import sqlite3
from app.storage.policies import (
    POLICY_COUNTY_SETTING,
    POLICY_DIR_SETTING,
    PackFile,
    Shelf,
    load_shelf,
)
from app.storage.rows import rid

if TYPE_CHECKING:
    from app.storage.workspace import Workspace

TOLERANCE_SETTING = "claim_tolerance"


@dataclass(frozen=True)
class ClaimLine:
    """A claim with what a list shows of it. `reimbursed`, `self_pay`, `ratio_actual` and
    `target_met` are the amounts that stand (the slip's where it has them, else the estimate);
    `flagged` says the slip differs from the estimate by more than the tolerance on some line;
    `year_to_date` is the person's year including this claim (for a reversed claim or an
    estimate: as if it counted); `reversed_by` the id of the reversal that cancels it;
    `duplicate_of` the slip of the same 结算单号 that counts instead (one slip entered twice)."""

    claim: Claim
    person_name: str
    record_no: str
    group_name: str
    settlement: Settlement
    reimbursed: Decimal
    self_pay: Decimal
    ratio_actual: Decimal
    target: Decimal | None
    target_met: bool | None
    from_slip: bool
    flagged: bool
    checks: tuple[LayerCheck, ...]
    year_to_date: YearToDate
    reversed_by: RecordId | None = None
    duplicate_of: RecordId | None = None

    @property
    def categories(self) -> tuple[str, ...]:
        return self.claim.categories or ("普通",)

    @property
    def counts(self) -> bool:
        """Whether the claim counts toward the person's year (a slip, not reversed, no reversal,
        not a second entry of a counted slip)."""
        c = self.claim
        return (c.source == SLIP and not c.reverses and self.reversed_by is None
                and self.duplicate_of is None)


# --- rows --------------------------------------------------------------------------------------


def _money_map(values: Mapping[str, Decimal]) -> str:
    return json.dumps({k: str(v) for k, v in values.items()}, ensure_ascii=False)


def claim_values(c: Claim, *, today: dt.date) -> dict[str, Any]:
    """A claim as the column values of its row (`today` is the entry date)."""
    return {
        "person_id": c.person_id, "source": c.source, "episode": c.episode, "hospital": c.hospital,
        "level": c.level, "scope": c.scope, "referred": c.referred, "admitted": c.admitted,
        "discharged": c.discharged, "settled_year": c.year, "diagnosis": c.diagnosis,
        "disease": c.disease, "total": str(c.total), "out_of_catalogue": str(c.out_of_catalogue),
        "fees": _money_map(c.fees), "paid": _money_map(c.paid),
        "self_pay": None if c.self_pay is None else str(c.self_pay),
        "categories": list(c.categories or ()), "county": c.county,
        "settlement_no": c.settlement_no, "note": c.note, "entered_by": c.entered_by,
        "entered_on": today, "reverses": c.reverses, "reason": c.reason,
    }


def _from_row(r: sqlite3.Row) -> Claim:
    def amounts(text: str) -> dict[str, Decimal]:
        return {k: Decimal(v) for k, v in json.loads(text or "{}").items()}

    return Claim(
        id=rid(r["id"]), person_id=r["person_id"], source=r["source"], episode=r["episode"],
        hospital=r["hospital"], level=r["level"], scope=r["scope"], referred=bool(r["referred"]),
        admitted=dt.date.fromisoformat(r["admitted"]), discharged=dt.date.fromisoformat(r["discharged"]),
        diagnosis=r["diagnosis"], disease=r["disease"], total=Decimal(r["total"]),
        out_of_catalogue=Decimal(r["out_of_catalogue"]), fees=amounts(r["fees"]),
        paid=amounts(r["paid"]), self_pay=None if r["self_pay"] is None else Decimal(r["self_pay"]),
        categories=tuple(json.loads(r["categories"] or "[]")), county=r["county"],
        settlement_no=r["settlement_no"], note=r["note"], entered_by=r["entered_by"],
        reverses=r["reverses"], reason=r["reason"],
    )


def _order(c: Claim) -> tuple[dt.date, dt.date, str]:
    return (c.discharged, c.admitted, str(c.id or "\uffff"))


@dataclass(frozen=True)
class _Settled:
    claim: Claim
    settlement: Settlement
    year_to_date: YearToDate   # including this claim
    reversed_by: RecordId | None
    duplicate_of: RecordId | None = None


class ClaimsRepo:
    """Claims of one clinic database: policy packs, estimates, entry, reversal, lists."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._seqs: dict[str, int | None] = {}   # server_seq of the claims being settled

    # --- policy packs --------------------------------------------------------------------

    def policy_dir(self) -> Path:
        """Where the county's packs are dropped: the setting, or `policies` next to the database."""
        text = self.ws.settings.get(POLICY_DIR_SETTING).strip()
        return Path(text).expanduser() if text else self.ws.path.parent / "policies"

    def shelf(self) -> Shelf:
        """Every pack found (sent by the county, in the county's folder, shipped) and the files
        that failed to load."""
        shelf = load_shelf(self.policy_dir())
        sent = self.ws.county_config.policy_packs()
        if not sent:
            return shelf
        files = tuple(PackFile(pack, Path(f"{item.key.replace('/', '_')}.toml"), 0) for pack, item in sent)
        return Shelf(files + shelf.files, shelf.problems)

    def packs(self) -> list[PolicyPack]:
        """The packs this clinic can settle with: the county's folder first, then the shipped ones."""
        return [f.pack for f in self.shelf().files]

    def pack_for(self, on: dt.date, county: str = "") -> PolicyPack:
        """The pack for a settlement date: the claim's county, else the setting `policy_county`."""
        county = county or self.ws.settings.get(POLICY_COUNTY_SETTING).strip()
        return self.shelf().choose(on, county=county, folder=self.policy_dir())

    def tolerance(self) -> Decimal:
        """The slip-versus-estimate tolerance in 元 (setting `claim_tolerance`, default 0.01)."""
        return tolerance_from(self.ws.settings.get(TOLERANCE_SETTING))

    # --- the person's categories -----------------------------------------------------------

    def categories(self, person_id: str, on: dt.date | None = None, *,
                   known: Sequence[str] | None = None) -> tuple[str, ...]:
        """The person's categories (人员类别) for the engine: the household's poverty status on
        `on` (from its history; today's status without a date), the person's 低保/特困 and a
        severe (一级/二级) disability when the packs know 重度残疾."""
        p = self.ws.people.get(person_id)
        status = self._status_on(str(p.household_id), on)
        return person_categories(status, p.assistance, p.disability_grade,
                                 known=known or self.shelf().categories)

    def _status_on(self, household_id: str, on: dt.date | None) -> str:
        current = self.ws.households.get(household_id).poverty_status
        if on is None:
            return current
        events = self.ws.conn.execute(
            "SELECT status, since FROM poverty_events WHERE household_id = ? AND deleted = 0"
            " ORDER BY since, id", (household_id,)).fetchall()
        if not events:
            return current
        before = [e["status"] for e in events if e["since"] <= on.isoformat()]
        return before[-1] if before else "general"

    # --- estimating and writing ------------------------------------------------------------

    def _prepared(self, claim: Claim, *, today: dt.date) -> tuple[Claim, PolicyPack]:
        shelf = self.shelf()
        c = check_claim(claim, today=today, known_categories=shelf.categories)
        self.ws.people.get(c.person_id)
        pack = self.pack_for(c.date, c.county)
        if c.categories is None:
            c = replace(c, categories=self.categories(c.person_id, c.date, known=pack.categories))
        return replace(c, county=pack.county), pack

    def estimate(self, draft: Claim, *, today: dt.date | None = None) -> Settlement:
        """Settle a claim that is not stored: nothing is written. The year to date is the person's
        counted claims of that year settled on or before the draft's date."""
        c, pack = self._prepared(draft, today=today or dt.date.today())
        before = [x for x in self._person_year(c.person_id, c.year) if x.claim.date <= c.date]
        return settle(pack, c.engine_input(year_to_date=self._ytd(before, c.year)))

    def add_claim(self, claim: Claim, *, today: dt.date) -> tuple[RecordId, Changes]:
        """Store a claim (a slip or an estimate) after settling it once to check it."""
        c, _ = self._prepared(claim, today=today)
        if c.reverses:
            raise ValidationError("冲账请用“冲账”操作（reverse_claim）", field="reverses")
        c = replace(c, entered_by=c.entered_by or self.ws.user)
        self.estimate(c, today=today)
        village = self.ws.households.get(str(self.ws.people.get(c.person_id).household_id)).village_code
        changes = Changes()
        with self.ws.transaction():
            if c.settlement_no:
                self._check_settlement_no(c.settlement_no)
            cid = rid(self.ws.tracker.insert("claims", claim_values(c, today=today), partition=village))
            changes.add("claims", cid)
            self.ws.audit("create", table="claims", row_id=cid,
                          detail=f"{c.source} {c.episode} {c.total}")
        return cid, changes

    def _check_settlement_no(self, number: str) -> None:
        row = self.ws.conn.execute(
            "SELECT c.id FROM claims c WHERE c.settlement_no = ? AND c.deleted = 0 AND c.reverses IS NULL"
            " AND NOT EXISTS (SELECT 1 FROM claims r WHERE r.reverses = c.id AND r.deleted = 0)",
            (number,)).fetchone()
        if row:
            raise ConflictError(f"结算单号 {number} 已经录入过；如需更正，请先冲账再重新录入",
                                field="settlement_no")

    def reverse_claim(self, claim_id: str, reason: str, *, today: dt.date) -> tuple[RecordId, Changes]:
        """冲账: a new row that cancels the claim (same facts, `reverses` set, with the reason).
        The cancelled claim stops counting toward the person's year; nothing is overwritten."""
        original = self.claim(claim_id)
        if original.reverses:
            raise ConflictError("这是一条冲账记录，不能再冲账；请重新录入正确的结算")
        if not clean(reason):
            raise ValidationError("冲账须写明原因", field="reason")
        entry = replace(original, id=None, reverses=str(original.id), reason=clean(reason),
                        entered_by=self.ws.user, note="")
        village = self.ws.households.get(str(self.ws.people.get(original.person_id).household_id)).village_code
        changes = Changes()
        with self.ws.transaction():
            if self._reversal_of(str(original.id)):
                raise ConflictError("这条结算已经冲账")
            cid = rid(self.ws.tracker.insert("claims", claim_values(entry, today=today), partition=village))
            changes.add("claims", cid)
            self.ws.audit("reverse", table="claims", row_id=cid,
                          detail=f"{original.id} {clean(reason)}")
        return cid, changes

    def _reversal_of(self, claim_id: str) -> RecordId | None:
        row = self.ws.conn.execute(
            f"SELECT id FROM claims WHERE reverses = ? AND deleted = 0 ORDER BY {chains.rank_order()}"
            " LIMIT 1",
            (claim_id,)).fetchone()
        return rid(row[0]) if row else None

    # --- reading ----------------------------------------------------------------------------

    def claim(self, claim_id: str) -> Claim:
        """A claim by its id, or by its settlement number (结算单号) when that is unique."""
        row = self.ws.conn.execute("SELECT * FROM claims WHERE id = ? AND deleted = 0",
                                   (claim_id,)).fetchone()
        if row is None:
            rows = self.ws.conn.execute(
                "SELECT * FROM claims WHERE settlement_no = ? AND settlement_no != '' AND deleted = 0"
                " AND reverses IS NULL", (claim_id,)).fetchall()
            if len(rows) > 1:
                raise ConflictError(f"结算单号 {claim_id} 对应多条记录，请用记录编号")
            row = rows[0] if rows else None
        if row is None:
            raise NotFoundError(f"找不到结算记录“{claim_id}”")
        return _from_row(row)

    def reversed_by(self, claim_id: str) -> RecordId | None:
        """The reversal that cancels this claim, if any."""
        return self._reversal_of(claim_id)

    def settlement(self, claim_id: str) -> Settlement:
        """The claim settled again by the engine, with the person's year to date as of that claim."""
        return self._settled(claim_id).settlement

    def comparison(self, claim_id: str) -> list[LayerCheck]:
        """The engine's estimate beside the slip, per layer (empty for an estimate)."""
        s = self._settled(claim_id)
        return compare(s.settlement, s.claim, tolerance=self.tolerance())

    def line(self, claim_id: str) -> ClaimLine:
        """One claim as a list shows it, with its settlement and the person's year."""
        s = self._settled(claim_id)
        return self._lines([s])[0]

    def _settled(self, claim_id: str) -> _Settled:
        c = self.claim(claim_id)
        return next(x for x in self._person_year(c.person_id, c.year) if x.claim.id == c.id)

    def person_year(self, person_id: str, year: int) -> YearToDate:
        """The person's sums over the counted claims of a year (本年度累计)."""
        self.ws.people.get(person_id)
        return self._ytd(self._person_year(person_id, year), year)

    @staticmethod
    def _ytd(settled: Sequence[_Settled], year: int) -> YearToDate:
        counted = [s for s in settled if _counts(s)]
        return counted[-1].year_to_date if counted else YearToDate(year=year)

    def claims(self, year: int | None = None, group: str | None = None, person_id: str | None = None,
               above_target_first: bool = True, *, include_reversed: bool = False) -> list[ClaimLine]:
        """Claims with their settlement, newest first. With `above_target_first`, those whose
        self-pay is above what the county target allows (目标未达标) come first, lowest 实际报销比例
        first. Reversed claims and reversal rows are left out unless `include_reversed`."""
        where: list[str] = ["deleted = 0"]
        params: list[object] = []
        if year is not None:
            where.append("settled_year = ?")
            params.append(year)
        if person_id is not None:
            where.append("person_id = ?")
            params.append(person_id)
        if group is not None:
            where.append("person_id IN (SELECT p.id FROM people p JOIN households h"
                         " ON h.id = p.household_id WHERE h.group_name = ?)")
            params.append(group)
        keys = {(r[0], r[1]) for r in self.ws.conn.execute(
            f"SELECT DISTINCT person_id, settled_year FROM claims WHERE {' AND '.join(where)}", params)}
        settled = [s for s in self._years(keys) if include_reversed or (
            not s.claim.reverses and s.reversed_by is None and s.duplicate_of is None)]
        lines = self._lines(settled)
        lines.sort(key=lambda x: _order(x.claim), reverse=True)
        if above_target_first:
            lines.sort(key=lambda x: (x.target_met is not False,
                                      x.ratio_actual if x.target_met is False else 0))
        return lines

    def recompute_year(self, year: int) -> list[ClaimLine]:
        """Every claim settled in `year`, settled again from the database, in date order."""
        return sorted(self.claims(year=year, above_target_first=False, include_reversed=True),
                      key=lambda x: _order(x.claim))

    # --- the engine over a person's year -----------------------------------------------------

    def _rows(self, keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], list[Claim]]:
        out: dict[tuple[str, int], list[Claim]] = {}
        wanted = set(keys)
        if not wanted:
            return out
        years = sorted({y for _, y in wanted})
        marks = ", ".join("?" for _ in years)
        for r in self.ws.conn.execute(
                f"SELECT * FROM claims WHERE deleted = 0 AND settled_year IN ({marks})", years):
            key = (r["person_id"], r["settled_year"])
            if key in wanted:
                out.setdefault(key, []).append(_from_row(r))
                self._seqs[str(r["id"])] = r["server_seq"]
        return out

    def _person_year(self, person_id: str, year: int) -> list[_Settled]:
        return self._years({(person_id, year)})

    def _years(self, keys: set[tuple[str, int]]) -> list[_Settled]:
        self._seqs = {}
        if len(keys) == 1:
            (person_id, year), = keys
            found = self.ws.conn.execute(
                "SELECT * FROM claims WHERE person_id = ? AND settled_year = ? AND deleted = 0",
                (person_id, year)).fetchall()
            self._seqs = {str(r["id"]): r["server_seq"] for r in found}
            rows = {(person_id, year): [_from_row(r) for r in found]}
        else:
            rows = self._rows(keys)
        packs: dict[tuple[dt.date, str], PolicyPack] = {}
        out: list[_Settled] = []
        for (_, year), items in rows.items():
            out += self._chain(items, year, packs)
        return out

    def _chain(self, items: list[Claim], year: int,
               packs: dict[tuple[dt.date, str], PolicyPack]) -> list[_Settled]:
        """Settle one person's claims of one year in order, each with the sums before it. Of two
        reversals of one claim, or two live slips of one 结算单号 (entered on two PCs), the chain
        rule (app.core.chains) picks the one that stands; the other is kept but does not count."""
        reversal, duplicate = self._winners(items)
        ytd = YearToDate(year=year)
        out = []
        for c in sorted(items, key=_order):
            key = (c.date, c.county)
            if key not in packs:
                packs[key] = self.pack_for(c.date, c.county)
            s = settle(packs[key], c.engine_input(year_to_date=ytd))
            after = ytd.add(as_prior(s, c))
            settled = _Settled(c, s, after, reversal.get(str(c.id)), duplicate.get(str(c.id)))
            if _counts(settled):
                ytd = after
            out.append(settled)
        return out

    def _winners(self, items: list[Claim]) -> tuple[dict[str, RecordId], dict[str, RecordId]]:
        """Each reversed claim's standing reversal, and each second slip's standing twin."""
        def link(c: Claim) -> Link:
            return Link(str(c.id), None, self._seqs.get(str(c.id)))

        reversals: dict[str, list[Claim]] = {}
        for c in items:
            if c.reverses:
                reversals.setdefault(c.reverses, []).append(c)
        reversal = {k: rid(winner(link(c) for c in v).id) for k, v in reversals.items()}
        slips: dict[str, list[Claim]] = {}
        for c in items:
            if (c.source == SLIP and c.settlement_no and not c.reverses
                    and str(c.id) not in reversal):
                slips.setdefault(c.settlement_no, []).append(c)
        duplicate: dict[str, RecordId] = {}
        for twins in slips.values():
            if len(twins) > 1:
                best = winner(link(c) for c in twins).id
                duplicate.update({str(c.id): rid(best) for c in twins if str(c.id) != best})
        return reversal, duplicate

    def _lines(self, settled: Sequence[_Settled]) -> list[ClaimLine]:
        people = self._people({s.claim.person_id for s in settled})
        tolerance = self.tolerance()
        lines = []
        for x in settled:
            c, s = x.claim, x.settlement
            result = outcome(s, c)
            ratio = ratio_actual(c.total, result.self_pay)
            checks = tuple(compare(s, c, tolerance=tolerance))
            name, record_no, group = people.get(c.person_id, ("", "", ""))
            lines.append(ClaimLine(
                claim=c, person_name=name, record_no=record_no, group_name=group, settlement=s,
                reimbursed=result.reimbursed, self_pay=result.self_pay, ratio_actual=ratio,
                target=s.target, target_met=None if s.target is None else ratio >= s.target,
                from_slip=result.from_slip, flagged=any(k.flagged for k in checks), checks=checks,
                year_to_date=x.year_to_date, reversed_by=x.reversed_by, duplicate_of=x.duplicate_of,
            ))
        return lines

    def _people(self, ids: set[str]) -> dict[str, tuple[str, str, str]]:
        out: dict[str, tuple[str, str, str]] = {}
        chunk = sorted(ids)
        for i in range(0, len(chunk), 500):
            part = chunk[i:i + 500]
            marks = ", ".join("?" for _ in part)
            for r in self.ws.conn.execute(
                    "SELECT p.id, p.name, p.record_no, h.group_name FROM people p"
                    f" JOIN households h ON h.id = p.household_id WHERE p.id IN ({marks})", part):
                out[r[0]] = (r[1], r[2], r[3])
        return out


def _counts(s: _Settled) -> bool:
    return (s.claim.source == SLIP and not s.claim.reverses and s.reversed_by is None
            and s.duplicate_of is None)
