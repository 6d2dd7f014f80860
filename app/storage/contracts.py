"""Contracts on a Workspace: teams, signing, renewal, dissolution, 履约 and the reminder lists.

Functions take the Workspace; `ContractsRepo` (`workspace.contracts`) offers them as methods.
Every write goes through its Tracker inside one transaction and is audited.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from app.core import contracts as core
from app.core import identity
from app.core.contracts import (
    Contract,
    ServiceDelivery,
    ServicePackage,
    ServiceProgress,
    Team,
    TeamMember,
)
from app.core.errors import ConflictError, NotFoundError, ValidationError
from app.core.ids import RecordId
from app.core.package_fit import Fit, MemberFacts, package_fit
from app.storage import chains, numbers, signing
from app.storage import packages as packages_repo
from app.storage.changes import Changes
from app.storage.engine import sqlite3
from app.storage.people import former_holder
from app.storage.rows import rid

if TYPE_CHECKING:
    from app.storage.workspace import Workspace

FEE_COLUMNS = {"医保基金": "fee_medicare", "基本公卫经费": "fee_phs", "财政补助": "fee_finance",
               "个人": "fee_personal"}
REMIND_SETTING = "contract_remind_days"
UNSERVED_SETTING = "contract_unserved_days"


@dataclass(frozen=True)
class ContractLine:
    """A contract with what a list shows of it: household, head, group, status as of a day."""

    contract: Contract
    status: str
    days_left: int
    head_name: str
    household_no: str
    group_name: str
    served: int


# --- settings -----------------------------------------------------------------------------


def _day_setting(ws: Workspace, key: str, default: int) -> int:
    text = ws.settings.get(key, str(default))
    if not text.strip().isdigit():
        raise ValidationError(f"设置项 {key} 应为天数（整数），现在是“{text}”", field=key)
    return int(text)


def remind_days(ws: Workspace) -> int:
    return _day_setting(ws, REMIND_SETTING, core.DEFAULT_REMIND_DAYS)


def unserved_days(ws: Workspace) -> int:
    return _day_setting(ws, UNSERVED_SETTING, core.DEFAULT_UNSERVED_DAYS)


def packages(ws: Workspace) -> list[core.ServicePackage]:
    """The active package list: the county's packages (sent by sync), then the clinic's edited
    copy if any, else the default file; a local package with a county package's code is hidden."""
    text = ws.settings.get(packages_repo.SETTING)
    if text:
        local = packages_repo.parse_packages(text, source="设置中的服务包列表")
    else:
        local = packages_repo.load_packages()
    county = [p for p, _ in ws.county_config.packages()]
    codes = {p.code for p in county}
    return county + [p for p in local if p.code not in codes]


def packages_text(ws: Workspace) -> str:
    """The TOML text of the active package list, for editing in settings."""
    return ws.settings.get(packages_repo.SETTING) or packages_repo.DEFAULT_FILE.read_text(encoding="utf-8")


def set_packages(ws: Workspace, toml_text: str) -> Changes:
    """Replace the active package list with an edited TOML copy (validated first)."""
    packages_repo.parse_packages(toml_text, source="新的服务包列表")
    return ws.settings.update(**{packages_repo.SETTING: toml_text})


# --- teams --------------------------------------------------------------------------------


def _team_from_row(row: sqlite3.Row) -> Team:
    members = [TeamMember(**m) for m in json.loads(row["members"] or "[]")]
    return Team(id=rid(row["id"]), name=row["name"], township_code=row["township_code"],
                members=members, note=row["note"])


def add_team(ws: Workspace, team: Team) -> tuple[RecordId, Changes]:
    """Create a family-doctor team of the clinic's township."""
    t = core.validate_team(team)
    township = t.township_code or ws.settings.division_code[:9] + "000"
    changes = Changes()
    with ws.transaction():
        if ws.conn.execute("SELECT 1 FROM teams WHERE name = ? AND deleted = 0", (t.name,)).fetchone():
            raise ConflictError(f"已有名为“{t.name}”的团队", field="name")
        members = json.dumps([vars(m) for m in t.members], ensure_ascii=False)
        tid = rid(ws.tracker.insert("teams", {
            "name": t.name, "township_code": township, "members": members, "note": t.note,
        }, partition=township))
        changes.add("teams", tid)
        ws.audit("create", table="teams", row_id=tid, detail=t.name)
    return tid, changes


def teams(ws: Workspace) -> list[Team]:
    return [_team_from_row(r) for r in ws.conn.execute(
        "SELECT * FROM teams WHERE deleted = 0 ORDER BY name")]


def team(ws: Workspace, ref: str) -> Team:
    """A team by id or by name."""
    row = ws.conn.execute(
        "SELECT * FROM teams WHERE (id = ? OR name = ?) AND deleted = 0", (ref, ref)).fetchone()
    if row is None:
        raise NotFoundError(f"找不到团队“{ref}”")
    return _team_from_row(row)


# --- reading contracts ----------------------------------------------------------------------


def _contract_from_row(row: sqlite3.Row, member_ids: list[str]) -> Contract:
    stored = json.loads(row["packages"])
    pkgs = [packages_repo.package_from_dict(p) for p in stored]
    # Each package keeps the ids of the members who signed it; older rows have none (all signed).
    signed: dict[str, list[str]] = {}
    if all("members" in p for p in stored):
        for pid in member_ids:
            signed[pid] = [p["code"] for p in stored if pid in p["members"]]
    return Contract(
        id=rid(row["id"]), household_id=row["household_id"], team_id=row["team_id"],
        member_ids=member_ids, packages=pkgs,
        start=dt.date.fromisoformat(row["start_date"]), end=dt.date.fromisoformat(row["end_date"]),
        signed_on=dt.date.fromisoformat(row["signed_on"]),
        fees={payer: Decimal(row[col]) for payer, col in FEE_COLUMNS.items()},
        status=row["status"], level=row["level"], contract_no=row["contract_no"],
        renewed_from=row["renewed_from"],
        dissolved_on=dt.date.fromisoformat(row["dissolved_on"]) if row["dissolved_on"] else None,
        dissolution_reason=row["dissolution_reason"], dissolution_note=row["dissolution_note"],
        member_packages=signed,
    )


def _load(ws: Workspace, where: str = "1", params: Sequence[object] = (), *,
          current_only: bool = False) -> list[Contract]:
    """Contracts matching `where`; with `current_only`, not those on a losing branch of a fork
    (a second renewal, a second live contract with the same team: app.storage.chains)."""
    rows = ws.conn.execute(
        f"SELECT * FROM contracts WHERE deleted = 0 AND ({where}) ORDER BY signed_on, contract_no, id",
        list(params)).fetchall()
    if current_only and rows:
        lost = chains.contract_losers(ws.conn, [r["household_id"] for r in rows])
        rows = [r for r in rows if r["id"] not in lost]
    members: dict[str, list[str]] = {}
    for m in ws.conn.execute(
        "SELECT contract_id, person_id FROM contract_members WHERE deleted = 0 AND contract_id IN"
        f" (SELECT id FROM contracts WHERE deleted = 0 AND ({where})) ORDER BY rowid", list(params)):
        members.setdefault(m[0], []).append(m[1])
    return [_contract_from_row(r, members.get(r["id"], [])) for r in rows]


def contract(ws: Workspace, ref: str) -> Contract:
    """A contract by id or by contract number."""
    # One lookup per key: an OR of the two, or a number without `!= ''`, would scan every
    # contract (contracts_no is a partial index), and a township keeps thousands.
    found = _load(ws, "id = ?", (ref,)) or _load(ws, "contract_no = ? AND contract_no != ''", (ref,))
    if not found:
        found = _load(ws, "id = ?", (_renumbered(ws, ref),))
    if not found:
        raise NotFoundError(f"找不到协议“{ref}”")
    if len(found) > 1:
        raise ConflictError(f"协议号“{ref}”对应多份协议，请用协议的编号（id）")
    return found[0]


def _renumbered(ws: Workspace, number: str) -> str:
    """The contract that once had `number` (renumbered when the county confirmed the station, or
    by schema 9's repair): its id, from the audit log; "" if none."""
    row = ws.conn.execute(
        "SELECT row_id FROM audit_log WHERE action = 'renumber_contract'"
        " AND json_extract(detail, '$.from') = ? ORDER BY seq DESC LIMIT 1", (number,)).fetchone()
    return str(row[0]) if row else ""


def household_contracts(ws: Workspace, household_id: str) -> list[Contract]:
    """Every contract of a household, oldest signing first (not those on a losing branch of a
    fork: a second renewal or a second live contract with the same team, see app.storage.chains)."""
    return _load(ws, "household_id = ?", (household_id,), current_only=True)


def find_household(ws: Workspace, ref: str) -> str:
    """A household id from a 户编号, the head's (or any member's) record number, or the id."""
    row = ws.conn.execute(
        "SELECT id FROM households WHERE (household_no = ? OR id = ?) AND deleted = 0", (ref, ref),
    ).fetchone() or ws.conn.execute(
        "SELECT household_id FROM people WHERE record_no = ? AND deleted = 0", (ref,)).fetchone()
    if row is None and (pid := former_holder(ws.conn, ref)):   # a number a renumbering took away
        row = ws.conn.execute("SELECT household_id FROM people WHERE id = ?", (pid,)).fetchone()
    if row is None:
        raise NotFoundError(f"找不到户编号或健康档案编号为 {ref} 的家庭")
    return str(row[0])


# --- writing contracts ----------------------------------------------------------------------


def _next_contract_no(ws: Workspace, village: str, year: int) -> str:
    """The next number for a contract this station signs in a village in a year."""
    station = ws.station
    prefix = identity.contract_no_prefix(village, station, year)
    return identity.next_contract_no(village, station, year, numbers.highest_contract_serial(ws.conn, prefix))


def _live_contracts_of(ws: Workspace, person_ids: Sequence[str]) -> list[Contract]:
    marks = ", ".join("?" for _ in person_ids)
    # `+status`: look the few contracts up from their members, not every live one by status.
    return _load(ws, "+status IN ('signed', 'active') AND id IN (SELECT contract_id FROM"
                 f" contract_members WHERE deleted = 0 AND person_id IN ({marks}))", person_ids,
                 current_only=True)


def _insert(ws: Workspace, c: Contract, village: str, changes: Changes) -> RecordId:
    values: dict[str, object] = {
        "contract_no": _next_contract_no(ws, village, c.signed_on.year), "household_id": c.household_id,
        "team_id": c.team_id, "level": c.level,
        "packages": json.dumps([packages_repo.package_to_dict(p) | {"members": c.members_of(p.code)}
                                for p in c.packages], ensure_ascii=False),
        "start_date": c.start, "end_date": c.end, "signed_on": c.signed_on,
        "status": c.status, "renewed_from": c.renewed_from,
    }
    values.update({col: str(c.fees[payer]) for payer, col in FEE_COLUMNS.items()})
    cid = rid(ws.tracker.insert("contracts", values, partition=village))
    changes.add("contracts", cid)
    for pid in c.member_ids:
        changes.add("contract_members", ws.tracker.insert(
            "contract_members", {"contract_id": cid, "person_id": pid}, partition=village))
    return cid


def _sign(ws: Workspace, c: Contract, *, today: dt.date, exclude: str | None = None) -> Contract:
    """Check coverage and take a draft through signed (and active once its term has begun)."""
    names = {pid: ws.people.get(pid).name for pid in c.member_ids}
    existing = [x for x in _live_contracts_of(ws, c.member_ids) if x.id != exclude]
    core.check_not_covered(names, existing, c.team_id, c.start)
    core.check_transition(c.status, "signed")
    c.status = "signed"
    if c.start <= today:
        core.check_transition(c.status, "active")
        c.status = "active"
    return c


def sign_household(
    ws: Workspace, household_id: str, team_id: str, package_codes: Sequence[str], signed_on: dt.date,
    members: Sequence[str] | None = None, *, level: str = "household",
    choice: Mapping[str, Sequence[str]] | None = None, overrides: Iterable[tuple[str, str]] = (),
) -> tuple[RecordId, Changes]:
    """Sign a household (default: all its 在册 members) with a team; active from the signing day.

    Without `choice`, each member signs the asked packages that fit them (see `signing.plan`).
    With it (person id → codes), a pair the rule says does not fit is refused unless it is in
    `overrides`, the doctor's deliberate choice, which the audit log records.
    """
    h = ws.households.get(household_id)
    t = team(ws, team_id)
    if choice is not None:
        asked = {code for codes in choice.values() for code in codes}
        package_codes = [p.code for p in packages(ws) if p.code in asked]
        package_codes += sorted(asked - set(package_codes))  # unknown: refused by package_by_code
        members = [pid for pid, codes in choice.items() if codes]
    chosen = core.package_by_code(packages(ws), package_codes)
    roster = {p.id: p for p in ws.households.members(household_id)}
    if members is None:
        member_ids = [str(p.id) for p in roster.values() if p.living_status == "在册"]
    else:
        member_ids = list(members)
        for pid in member_ids:
            p = roster.get(rid(pid))
            if p is None:
                raise ValidationError("签约对象必须是本户成员", field="members")
            if p.living_status != "在册":
                raise ValidationError(f"{p.name}的档案状态为{p.living_status}，不能签约", field="members")
    if choice is None:
        codes_of = signing.plan(ws, household_id, chosen, signed_on, member_ids).choice
        overridden: list[signing.Skipped] = []
    else:
        codes_of = {pid: list(choice[pid]) for pid in member_ids}
        overridden = signing.check_choice(ws, household_id, chosen, signed_on, codes_of, set(overrides))
    by_member = {pid: [p for p in chosen if p.code in codes_of.get(pid, [])] for pid in member_ids}
    c = core.new_contract(household_id=household_id, team_id=str(t.id), member_ids=member_ids,
                          packages=chosen, signed_on=signed_on, poor=h.is_poor, level=level,
                          choice=by_member)
    detail = ";".join(f"{ws.people.get(pid).name}:{'+'.join(codes)}" for pid, codes in c.member_packages.items())
    if overridden:
        detail += " 医生确认不符合规则：" + ";".join(f"{o.name}:{o.code}（{o.reason}）" for o in overridden)
    changes = Changes()
    with ws.transaction():
        _sign(ws, c, today=signed_on)
        cid = _insert(ws, c, h.village_code, changes)
        ws.audit("sign", table="contracts", row_id=cid, detail=detail)
    return cid, changes


def renew(ws: Workspace, contract_id: str, on: dt.date) -> tuple[RecordId, Changes]:
    """Renew a contract for another term; the old one is marked renewed and linked from the new."""
    old = contract(ws, contract_id)
    if old.status not in core.LIVE_STATUSES:
        core.check_transition(old.status, "renewed")
    h = ws.households.get(old.household_id)
    current = {p.code: p for p in packages(ws)}
    chosen = [current.get(p.code, p) for p in old.packages]
    living = {str(p.id) for p in ws.households.members(old.household_id) if p.living_status == "在册"}
    member_ids = [pid for pid in old.member_ids if pid in living]
    start = core.renewal_term(old, on)
    # Each member renews what they signed, less what no longer fits them on the renewal day.
    facts = {m.person_id: m for m in signing.household_facts(ws, old.household_id, start)}
    by_code = {p.code: p for p in chosen}
    choice = {pid: [by_code[p.code] for p in old.packages_of(pid)
                    if package_fit(by_code[p.code], facts[pid], start).fits] for pid in member_ids}
    c = core.new_contract(household_id=old.household_id, team_id=old.team_id, member_ids=member_ids,
                          packages=chosen, signed_on=on, poor=h.is_poor, start=start,
                          level=old.level if len(member_ids) == 1 else "household", choice=choice)
    c.renewed_from = str(old.id)
    changes = Changes()
    with ws.transaction():
        core.check_transition(old.status, "renewed")
        _sign(ws, c, today=on, exclude=str(old.id))
        ws.tracker.update("contracts", str(old.id), {"status": "renewed"})
        changes.add("contracts", str(old.id))
        cid = _insert(ws, c, h.village_code, changes)
        ws.audit("renew", table="contracts", row_id=cid, detail=f"{old.id} -> {cid}")
    return cid, changes


def dissolve(ws: Workspace, contract_id: str, reason: str, on: dt.date, note: str = "") -> Changes:
    """End a contract before its term is over, with one of the dissolution reasons."""
    c = contract(ws, contract_id)
    if core.status_on(c, on) == "expired":
        raise ConflictError(f"协议已于 {c.end} 到期，无需解约")
    core.check_transition(c.status, "dissolved", reason=reason, note=note)
    if on < c.signed_on:
        raise ValidationError("解约日期不能早于签约日期", field="on")
    changes = Changes()
    with ws.transaction():
        ws.tracker.update("contracts", str(c.id), {
            "status": "dissolved", "dissolved_on": on, "dissolution_reason": reason,
            "dissolution_note": note.strip(),
        })
        changes.add("contracts", str(c.id))
        ws.audit("dissolve", table="contracts", row_id=c.id, detail=reason)
    return changes


# --- 履约 ------------------------------------------------------------------------------------


def record_service(ws: Workspace, delivery: ServiceDelivery, *, today: dt.date) -> tuple[RecordId, Changes]:
    """Record a service delivered under a contract."""
    c = contract(ws, delivery.contract_id)
    d = core.check_delivery(c, delivery, today=today)
    village = ws.households.get(c.household_id).village_code
    changes = Changes()
    with ws.transaction():
        did = rid(ws.tracker.insert("service_deliveries", {
            "contract_id": str(c.id), "person_id": d.person_id, "service": d.service,
            "delivered_on": d.delivered_on, "done_by": d.done_by, "note": d.note,
        }, partition=village))
        changes.add("service_deliveries", did)
        ws.audit("service", table="service_deliveries", row_id=did, detail=d.service)
    return did, changes


def deliveries(ws: Workspace, contract_id: str) -> list[ServiceDelivery]:
    return [
        ServiceDelivery(id=rid(r["id"]), contract_id=r["contract_id"], person_id=r["person_id"],
                        service=r["service"], delivered_on=dt.date.fromisoformat(r["delivered_on"]),
                        done_by=r["done_by"], note=r["note"])
        for r in ws.conn.execute(
            "SELECT * FROM service_deliveries WHERE contract_id = ? AND deleted = 0"
            " ORDER BY delivered_on, id", (contract_id,))
    ]


def progress(ws: Workspace, contract_id: str) -> list[ServiceProgress]:
    """Promised (frequency × members) versus done, per service of the contract."""
    c = contract(ws, contract_id)
    return core.progress(c, deliveries(ws, str(c.id)))


# --- lists ---------------------------------------------------------------------------------


def contracts(
    ws: Workspace, *, today: dt.date, status: str | None = None, expiring: int | None = None,
    unserved: bool = False, group: str | None = None,
) -> list[ContractLine]:
    """Contracts as of `today`, filtered by status, expiring within N days, 签而不约, group."""
    if status is not None and status not in core.STATUS_NAMES:
        names = "、".join(f"{k}（{v}）" for k, v in core.STATUS_NAMES.items())
        raise ValidationError(f"不认识的状态“{status}”，可选：{names}", field="status")
    if expiring is not None and expiring < 0:
        raise ValidationError("到期提醒天数不能为负数", field="expiring")
    where, params = "1", []
    if expiring is not None or unserved or status in ("signed", "active", "expired"):
        where = "status IN ('signed', 'active')"
    if expiring is not None:
        where += " AND end_date >= ? AND end_date <= ?"
        params += [today.isoformat(), (today + dt.timedelta(days=expiring)).isoformat()]
    elif status in ("renewed", "dissolved", "draft"):
        where, params = "status = ?", [status]
    if group is not None:
        where += " AND household_id IN (SELECT id FROM households WHERE group_name = ?)"
        params.append(group)
    served = {r[0]: r[1] for r in ws.conn.execute(
        "SELECT contract_id, count(*) FROM service_deliveries WHERE deleted = 0 GROUP BY contract_id")}
    threshold = unserved_days(ws)
    lines = []
    for c in _load(ws, where, params, current_only=True):
        state = core.status_on(c, today)
        if status is not None and state != status:
            continue
        if expiring is not None and not core.is_expiring(c, today, expiring):
            continue
        done = served.get(str(c.id), 0)
        if unserved and not core.is_unserved(c, bool(done), today, threshold):
            continue
        h = ws.conn.execute(
            "SELECT h.household_no, h.group_name, p.name FROM households h"
            " LEFT JOIN people p ON p.id = h.head_id WHERE h.id = ?", (c.household_id,)).fetchone()
        lines.append(ContractLine(c, state, core.days_left(c, today), h["name"] or "",
                                  h["household_no"], h["group_name"], done))
    return lines


class ContractsRepo:
    """Teams, service packages, signing, contracts and 履约, reached as `workspace.contracts`."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def add_team(self, team: Team) -> tuple[RecordId, Changes]:
        return add_team(self.ws, team)

    def teams(self) -> list[Team]:
        return teams(self.ws)

    def team(self, ref: str) -> Team:
        return team(self.ws, ref)

    def packages(self) -> list[ServicePackage]:
        return packages(self.ws)

    def packages_text(self) -> str:
        return packages_text(self.ws)

    def set_packages(self, toml_text: str) -> Changes:
        return set_packages(self.ws, toml_text)

    def sign(self, household_id: str, team_id: str, package_codes: Sequence[str],
             signed_on: dt.date, members: Sequence[str] | None = None, *,
             level: str = "household", choice: Mapping[str, Sequence[str]] | None = None,
             overrides: Iterable[tuple[str, str]] = ()) -> tuple[RecordId, Changes]:
        return sign_household(self.ws, household_id, team_id, package_codes, signed_on,
                              members, level=level, choice=choice, overrides=overrides)

    def signing_plan(self, household_id: str, package_codes: Sequence[str],
                     signed_on: dt.date) -> signing.SigningPlan:
        """Which 在册 members each asked package fits on the day, and who is left out and why."""
        from app.core.contracts import package_by_code

        members = [str(p.id) for p in self.ws.households.members(household_id) if p.living_status == "在册"]
        chosen = package_by_code(self.packages(), package_codes)
        return signing.plan(self.ws, household_id, chosen, signed_on, members)

    def package_fits(self, household_id: str, signed_on: dt.date) -> dict[str, dict[str, Fit]]:
        """Person id → package code → whether it fits on the signing day, for every 在册 member."""
        return signing.fits(self.ws, household_id, self.packages(), signed_on)

    def member_facts(self, household_id: str, on: dt.date) -> list[MemberFacts]:
        """Every 在册 member as the package fit rule sees them on a signing day."""
        return signing.household_facts(self.ws, household_id, on)

    def get(self, ref: str) -> Contract:
        return contract(self.ws, ref)

    def renew(self, contract_id: str, on: dt.date) -> tuple[RecordId, Changes]:
        return renew(self.ws, contract_id, on)

    def dissolve(self, contract_id: str, reason: str, on: dt.date, note: str = "") -> Changes:
        return dissolve(self.ws, contract_id, reason, on, note)

    def record_service(self, delivery: ServiceDelivery, *, today: dt.date) -> tuple[RecordId, Changes]:
        return record_service(self.ws, delivery, today=today)

    def of_household(self, household_id: str) -> list[Contract]:
        return household_contracts(self.ws, household_id)

    def deliveries(self, contract_id: str) -> list[ServiceDelivery]:
        return deliveries(self.ws, contract_id)

    def unserved(self, today: dt.date) -> list[ContractLine]:
        """签而不约: live contracts without any 履约 record after the configured number of days."""
        return contracts(self.ws, today=today, unserved=True)

    def progress(self, contract_id: str) -> list[ServiceProgress]:
        return progress(self.ws, contract_id)

    # Last in the class: a method named `list` hides the builtin from the annotations after it.
    def list(self, *, today: dt.date, status: str | None = None, expiring: int | None = None,
             unserved: bool = False, group: str | None = None) -> list[ContractLine]:
        return contracts(self.ws, today=today, status=status, expiring=expiring,
                         unserved=unserved, group=group)
