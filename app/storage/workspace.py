"""The Workspace: one open clinic database and every domain action on it.

The UI and the CLI call these methods and nothing below them. Each mutation applies the core's
rules, writes through the tracked write path in one transaction and returns a `Changes` value.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

import sqlite_utils

from app.core.contracts import Contract, ServiceDelivery, ServicePackage, ServiceProgress, Team
from app.core.errors import ConflictError, NotFoundError, ValidationError
from app.core.households import (
    POVERTY_STATUSES,
    HelpPerson,
    Household,
    check_help_person,
    validate_household,
)
from app.core.identity import health_record_no, next_serial, parse_division_code
from app.core.ids import RecordId, division_id, uuid7
from app.core.outputs import ProtectedPlaces
from app.core.package_fit import Fit, MemberFacts
from app.core.people import Diagnosis, Person, check_diagnosis, check_person
from app.core.users import User
from app.storage import audit as audit_repo
from app.storage import chains, numbers, partitions
from app.storage import contracts as contracts_repo
from app.storage import households as households_repo
from app.storage import people as people_repo
from app.storage import signing as signing_repo
from app.storage import users as users_repo
from app.storage.care import CareRepo
from app.storage.changes import Changes, Tracker, now_iso
from app.storage.claims import ClaimsRepo
from app.storage.db import open_database, transaction
from app.storage.engine import sqlite3
from app.storage.rows import diagnosis_from_row, household_from_row, person_from_row, rid, to_values
from app.storage.users import SYSTEM_USER

__all__ = ["SYSTEM_USER", "Workspace"]


class Workspace:
    """An open clinic database. Use `Workspace.create(...)` once, then `Workspace.open(path)`."""

    def __init__(self, db: sqlite_utils.Database, path: Path) -> None:
        self.db = db
        self.conn = cast(sqlite3.Connection, db.conn)
        self.secret: bytes | None = getattr(self.conn, "secret", None)   # None: a plain file
        self.path = path
        self.tracker = Tracker(self.conn)
        self.user = SYSTEM_USER
        self.clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
        self._lock = threading.RLock()
        self.log_report = audit_repo.LogReport()  # what opening found wrong with the audit log
        self.recovery_key_to_show = ""            # set once, when signing in encrypted a plain file

    # --- opening ------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str) -> Workspace:
        """Open a database; an encrypted one needs its key unlocked first (see `sign_in`)."""
        p = Path(path)
        try:
            return cls._open(p)
        except MemoryError as exc:      # SQLCipher's answer for a page that no longer decrypts
            from app.core.errors import DatabaseDamagedError

            raise DatabaseDamagedError(f"数据库文件已损坏：{p.name}（有页面无法解密）") from exc

    @classmethod
    def _open(cls, p: Path) -> Workspace:
        ws = cls(open_database(p), p)
        if ws.conn.execute("SELECT count(*) FROM local_instance").fetchone()[0] == 0:
            ws.close()
            from app.core.errors import StorageError

            raise StorageError(f"{p.name} 尚未初始化，请先运行 cunyi init 或在首次启动向导中设置")
        try:
            ws.log_report = audit_repo.check_on_open(ws.conn, ws.user, now_iso())
        except BaseException:
            ws.close()
            raise
        return ws

    @classmethod
    def sign_in(cls, path: Path | str, username: str, password: str, *,
                check: Callable[[Workspace], None] | None = None) -> tuple[Workspace, User]:
        """Unlock and open the database as `username`: the app's and the command line's way in.

        An encrypted database is unlocked with the user's password from its key file; a plain
        one (from before encryption) is signed in to and then encrypted for this user, whose
        `recovery_key_to_show` then holds the clinic's recovery key, to be written down once.
        `check` looks at the opened file before anything is written for the sign-in.
        """
        from app.storage import engine, keyring, unlock

        p = Path(path)
        now = dt.datetime.now(dt.UTC)
        if keyring.load(p) is not None:
            unsealed = unlock.unseal(p, username, password, now)
            engine.remember(unsealed.secret)
            if p.exists() and p.stat().st_size > 0 and not engine.is_encrypted(p):
                # Encrypting was cut off after its key file was written: finish it now.
                unlock.encrypt_file(p, unsealed.secret, journal_wal=True)
            ws = cls.open(p)
            try:
                if check is not None:
                    check(ws)
                return ws, unlock.record_sign_in(ws, unsealed)
            except BaseException:
                ws.close()
                raise
        ws = cls.open(p)
        try:
            if check is not None:
                check(ws)
            user = ws.authenticate(username, password)
        except BaseException:
            ws.close()
            raise
        if ws.secret is not None:         # encrypted, its key file gone, its key known here
            unlock.user_added(ws, user.id, user.username, password)
            return ws, user
        ws, key = unlock.encrypt_database(ws, password, user)
        ws.recovery_key_to_show = key
        return ws, user

    @classmethod
    def recover(cls, path: Path | str, recovery_key: str, username: str,
                new_password: str) -> Workspace:
        """Open with the clinic's recovery key and set a new password for `username`."""
        from app.storage import unlock

        return unlock.recover(Path(path), recovery_key, username, new_password)

    def recovery_key(self) -> str:
        """The clinic's recovery key, for the one sheet made when the database is created."""
        from app.core.keys import recovery_key

        if self.secret is None:
            raise ValidationError("这个数据库没有加密，没有恢复密钥")
        return recovery_key(self.secret)

    @classmethod
    def create(
        cls,
        path: Path | str,
        *,
        clinic_name: str,
        division_code: str,
        division_name: str,
        station: int = 1,
        today: dt.date | None = None,
    ) -> Workspace:
        """Make a new clinic database for a village (or a township, for a township centre)."""
        p = Path(path)
        if p.exists() and p.stat().st_size > 0:
            raise ConflictError(f"数据库文件已存在：{p}")
        code = parse_division_code(division_code)
        from app.core.divisions import PROVINCES

        if code.code[:2] not in PROVINCES:
            raise ValidationError(f"区划代码的前两位 {code.code[:2]} 不是任何省级行政区的代码",
                                  field="division_code")
        if code.level == "county":
            raise ValidationError("诊所的区划代码应为村级或乡镇级", field="division_code")
        if not clinic_name.strip():
            raise ValidationError("请填写卫生室名称", field="clinic_name")
        if not division_name.strip():
            raise ValidationError("请填写村（乡镇）名称", field="division_name")
        from app.core.identity import station_serial_range

        station_serial_range(station)
        from app.core.keys import new_secret
        from app.storage import engine, keyring

        secret = new_secret()
        engine.remember(secret)
        ws = cls(open_database(p, create=True, new_key=secret), p)
        with ws.transaction():
            instance = uuid7()
            ws.conn.execute(
                "INSERT INTO local_instance (only_row, instance_id, counter, station, created_at)"
                " VALUES (1, ?, 0, ?, ?)",
                (instance, station, now_iso()),
            )
            ws.conn.execute(
                "INSERT INTO instance_history (instance_id, started_at, reason) VALUES (?, ?, ?)",
                (instance, now_iso(), "created"),
            )
            ws._set_settings(
                clinic_name=clinic_name.strip(), division_code=code.code,
                division_name=division_name.strip(),
            )
            ws.add_division(code.code, division_name.strip())
            ws.audit("create_database", detail=clinic_name)
            keyring.save(p, keyring.new_keyring(secret, clinic_name=clinic_name.strip(),
                                                division_name=division_name.strip()))
        return ws

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock, transaction(self.conn) as conn:
            yield conn

    # --- areas with their own module ------------------------------------------------------

    @functools.cached_property
    def care(self) -> CareRepo:
        """Follow-ups, health exams and the task list."""
        return CareRepo(self)

    @functools.cached_property
    def claims(self) -> ClaimsRepo:
        """Medical claims and their settlement."""
        return ClaimsRepo(self)

    # --- instance and settings -----------------------------------------------------------

    @property
    def instance_id(self) -> str:
        return str(self.conn.execute("SELECT instance_id FROM local_instance").fetchone()[0])

    @property
    def station(self) -> int:
        return int(self.conn.execute("SELECT station FROM local_instance").fetchone()[0])

    def settings(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self.conn.execute("SELECT key, value FROM settings")}

    def setting(self, key: str, default: str = "") -> str:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else default

    def protected_places(self, *, data_folders: Sequence[Path | str] = ()) -> ProtectedPlaces:
        """Where no output may be written: the database's folder, the backups and the policy packs."""
        from app.storage.outputs import places_for

        return places_for(self.path, data_folders=data_folders,
                          backup_dirs=[self.setting("backup_dir"), self.path.parent / "backups"],
                          policy_dirs=[self.claims.policy_dir()])

    def _set_settings(self, **values: object) -> None:
        self.conn.executemany(
            "INSERT INTO settings (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [(k, str(v)) for k, v in values.items()],
        )

    def update_settings(self, **values: object) -> Changes:
        """Change clinic settings (name, backup folder, ...); the code via `change_division_code`."""
        if "division_code" in values:
            raise ValidationError("卫生室的区划代码请在“更改区划代码”中由管理员修改", field="division_code")
        if "clinic_name" in values and not str(values["clinic_name"]).strip():
            raise ValidationError("请填写卫生室名称", field="clinic_name")
        with self.transaction():
            self._set_settings(**values)
            self.audit("update_settings", detail=", ".join(sorted(values)))
            if "clinic_name" in values:
                from app.storage import unlock

                unlock.clinic_renamed(self, str(values["clinic_name"]).strip())
        return Changes(tables={"settings"})

    @property
    def division_code(self) -> str:
        return self.setting("division_code")

    def plan_division_change(self, code: str, name: str) -> Any:
        """What correcting the clinic's village code would do (a `DivisionChange`); writes nothing."""
        from app.storage import clinic_division

        return clinic_division.plan_division_change(self, code, name)

    def change_division_code(self, code: str, name: str) -> Changes:
        """Correct the clinic's village code (administrators only); existing numbers are kept."""
        from app.storage import clinic_division

        return clinic_division.change_division(self, code, name)[1]

    def unsynced_count(self) -> int:
        return int(self.conn.execute(
            "SELECT count(*) FROM outbox WHERE state != 'synced'"
        ).fetchone()[0])

    # --- audit ---------------------------------------------------------------------------

    def audit(self, action: str, *, table: str | None = None, row_id: str | None = None,
              detail: str = "") -> None:
        """Append one entry to the chained audit log (through its one writer)."""
        with self._lock:
            audit_repo.append(self.conn, at=now_iso(), username=self.user, action=action,
                              table=table, row_id=row_id, detail=detail)

    # --- divisions -----------------------------------------------------------------------

    def add_division(self, code: str, name: str) -> Changes:
        dc = parse_division_code(code)
        parent = None
        if dc.level == "village":
            parent = dc.code[:9] + "000"
        elif dc.level == "township":
            parent = dc.code[:6] + "000000"
        changes = Changes()
        with self.transaction():
            row = self.conn.execute("SELECT id FROM divisions WHERE code = ?", (dc.code,)).fetchone()
            if row:
                if self.tracker.update("divisions", row[0], {"name": name}):
                    changes.add("divisions", row[0])
            else:
                new_id = self.tracker.insert(
                    "divisions",
                    {"id": division_id(dc.code), "code": dc.code, "name": name, "level": dc.level,
                     "parent_code": parent},
                    partition=dc.code,
                )
                changes.add("divisions", new_id)
        return changes

    def divisions(self, level: str | None = None) -> list[sqlite3.Row]:
        sql = "SELECT * FROM divisions WHERE deleted = 0"
        params: list[object] = []
        if level:
            sql += " AND level = ?"
            params.append(level)
        return list(self.conn.execute(sql + " ORDER BY code", params))

    def division_name(self, code: str) -> str:
        row = self.conn.execute("SELECT name FROM divisions WHERE code = ?", (code,)).fetchone()
        return str(row[0]) if row else ""

    def villages(self) -> list[tuple[str, str]]:
        """(code, name) of the villages this clinic keeps files for."""
        return [(r["code"], r["name"]) for r in self.divisions("village")]

    # --- households ----------------------------------------------------------------------

    def _check_village(self, code: str) -> None:
        """A household's village must be the clinic's own village, or lie in its township for a
        township clinic (app.core.scope); checked again by the tracked write path."""
        parse_division_code(code, level="village")
        self.tracker.check_scope("households", code)

    def add_household(self, household: Household, *, since: dt.date | None = None) -> tuple[RecordId, Changes]:
        """Create a household file (members are added with `add_person`)."""
        h = validate_household(replace(household))
        self._check_village(h.village_code)
        changes = Changes()
        with self.transaction():
            self._check_household_no(h)
            values = to_values(h)
            values["head_id"] = None
            hid = rid(self.tracker.insert("households", values, partition=h.village_code))
            changes.add("households", hid)
            if h.poverty_status != "general":
                changes.merge(self._poverty_event(hid, h.village_code, h.poverty_status,
                                                  since or dt.date.today(), "建档"))
            self.audit("create", table="households", row_id=hid)
        return hid, changes

    def _check_household_no(self, h: Household, *, own_id: str | None = None) -> None:
        if not h.household_no:
            return
        row = self.conn.execute(
            "SELECT id FROM households WHERE village_code = ? AND household_no = ? AND household_no != ''"
            " AND deleted = 0",
            (h.village_code, h.household_no),
        ).fetchone()
        if row and row[0] != own_id:
            raise ConflictError(f"户编号 {h.household_no} 已被本村另一户使用", field="household_no")

    def update_household(self, household: Household) -> Changes:
        if household.id is None:
            raise ValidationError("缺少家庭档案编号")
        current = self.household(household.id)
        h = validate_household(replace(household))
        if h.village_code != current.village_code:
            # A household kept under the clinic's old code (after a correction) stays editable.
            self._check_village(h.village_code)
        changes = Changes()
        with self.transaction():
            self._check_household_no(h, own_id=h.id)
            values = to_values(h, exclude=("id", "head_id", "poverty_status"))
            values["partition"] = h.village_code
            if self.tracker.update("households", str(h.id), values):
                changes.add("households", str(h.id))
                self.audit("update", table="households", row_id=h.id)
            if h.poverty_status != current.poverty_status:
                changes.merge(self.set_poverty_status(str(h.id), h.poverty_status, dt.date.today()))
            if h.village_code != current.village_code:
                moved = partitions.carry_household(self.tracker, str(h.id), h.village_code)
                changes.tables |= set(moved)
                self.audit("move", table="households", row_id=h.id,
                           detail=f"{current.village_code} -> {h.village_code}；"
                                  + "、".join(f"{t} {n}" for t, n in moved.items()))
        return changes

    def household(self, household_id: str) -> Household:
        row = self.conn.execute(
            "SELECT * FROM households WHERE id = ? AND deleted = 0", (household_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError("找不到这户家庭档案")
        return household_from_row(row)

    def household_ids(self, f: households_repo.HouseholdFilter | None = None) -> list[str]:
        return households_repo.ids(self.conn, f or households_repo.HouseholdFilter())

    def household_rows(self, ids: list[str]) -> dict[str, households_repo.HouseholdRow]:
        return households_repo.rows(self.conn, ids)

    def household_count(self, f: households_repo.HouseholdFilter | None = None) -> int:
        return households_repo.count(self.conn, f or households_repo.HouseholdFilter())

    def group_names(self, village_code: str = "") -> list[str]:
        return households_repo.group_names(self.conn, village_code)

    def members(self, household_id: str) -> list[Person]:
        return [person_from_row(r) for r in people_repo.members(self.conn, household_id)]

    def set_poverty_status(self, household_id: str, status: str, since: dt.date,
                           note: str = "") -> Changes:
        """Record a change of poverty status (脱贫出, 返贫进, ...) and keep its history."""
        if status not in POVERTY_STATUSES:
            raise ValidationError("不认识的贫困户属性", field="poverty_status")
        if since > dt.date.today():
            raise ValidationError("状态变更日期不能在今天之后", field="since")
        h = self.household(household_id)
        changes = Changes()
        with self.transaction():
            if self.tracker.update("households", household_id, {"poverty_status": status}):
                changes.add("households", household_id)
            changes.merge(self._poverty_event(household_id, h.village_code, status, since, note))
        return changes

    def _poverty_event(self, household_id: str, village: str, status: str, since: dt.date,
                       note: str) -> Changes:
        eid = self.tracker.insert(
            "poverty_events",
            {"household_id": household_id, "status": status, "since": since, "note": note},
            partition=village,
        )
        changes = Changes()
        changes.add("poverty_events", eid)
        return changes

    def poverty_history(self, household_id: str) -> list[sqlite3.Row]:
        return list(self.conn.execute(
            "SELECT status, since, note FROM poverty_events WHERE household_id = ? AND deleted = 0"
            " ORDER BY since, id", (household_id,),
        ))

    def set_help_person(self, household_id: str, helper: HelpPerson) -> Changes:
        """Make someone the household's help person (帮扶责任人); the previous one is ended."""
        helper = check_help_person(helper)
        h = self.household(household_id)
        since = helper.since or dt.date.today()
        changes = Changes()
        with self.transaction():
            for row in self.conn.execute(
                "SELECT id, name, unit, phone FROM help_persons"
                " WHERE household_id = ? AND until IS NULL AND deleted = 0", (household_id,),
            ).fetchall():
                if (row["name"], row["unit"], row["phone"]) == (helper.name.strip(), helper.unit, helper.phone):
                    return changes
                self.tracker.update("help_persons", row["id"], {"until": since})
                changes.add("help_persons", row["id"])
            hp = self.tracker.insert(
                "help_persons",
                {"household_id": household_id, "name": helper.name.strip(), "unit": helper.unit.strip(),
                 "phone": helper.phone.strip(), "since": since, "until": helper.until},
                partition=h.village_code,
            )
            changes.add("help_persons", hp)
        return changes

    def help_persons(self, household_id: str) -> list[HelpPerson]:
        out = []
        for r in self.conn.execute(
            "SELECT * FROM help_persons WHERE household_id = ? AND deleted = 0 ORDER BY since, id",
            (household_id,),
        ):
            out.append(HelpPerson(
                name=r["name"], unit=r["unit"], phone=r["phone"],
                since=dt.date.fromisoformat(r["since"]) if r["since"] else None,
                until=dt.date.fromisoformat(r["until"]) if r["until"] else None,
            ))
        return out

    def current_help_person(self, household_id: str) -> HelpPerson | None:
        """The open help person the chain rule picks (two PCs may each have named one)."""
        return chains.current_help_person(self.conn, household_id)

    # --- people --------------------------------------------------------------------------

    def add_person(self, person: Person, *, today: dt.date | None = None) -> tuple[RecordId, Changes]:
        """Add a member to a household; the health-record number is allocated when empty."""
        if person.household_id is None:
            raise ValidationError("请先选择家庭", field="household_id")
        check = check_person(replace(person, assistance=list(person.assistance),
                                     disabilities=list(person.disabilities)), today=today)
        p = check.person
        h = self.household(person.household_id)
        changes = Changes(warnings=list(check.warnings))
        with self.transaction():
            self._check_unique_id(p)
            if not p.record_no:
                p.record_no = self._allocate_record_no(h.village_code)
            else:
                self._check_record_no(p.record_no)
            pid = rid(self.tracker.insert("people", to_values(p), partition=h.village_code))
            changes.add("people", pid)
            if p.relation == "户主" or h.head_id is None:
                changes.merge(self._make_head(h, pid, p.relation))
            self._reindex(pid)
            self.audit("create", table="people", row_id=pid)
        return pid, changes

    def _allocate_record_no(self, village_code: str) -> str:
        station = self.station
        serial = next_serial(station, numbers.highest_record_serial(self.conn, village_code, station))
        return health_record_no(village_code, serial)

    def _check_record_no(self, record_no: str, own_id: str | None = None) -> None:
        from app.core.identity import parse_record_no

        parse_record_no(record_no)
        row = self.conn.execute("SELECT id FROM people WHERE record_no = ?", (record_no,)).fetchone()
        if row and row[0] != own_id:
            raise ConflictError(f"健康档案编号 {record_no} 已被使用", field="record_no")

    def _check_unique_id(self, p: Person) -> None:
        if not p.id_no:
            return
        row = self.conn.execute(
            "SELECT p.id, p.name, p.household_id FROM people p"
            " WHERE p.id_type = ? AND p.id_no = ? AND p.id_no != '' AND p.deleted = 0",
            (p.id_type, p.id_no),
        ).fetchone()
        if row and row["id"] != p.id:
            raise ConflictError(
                f"身份证号 {p.id_no} 已登记在 {row['name']} 的档案中，同一人不能建两份档案",
                field="id_no",
            )

    def _make_head(self, h: Household, pid: str, relation: str) -> Changes:
        changes = Changes()
        if h.head_id and h.head_id != pid and relation == "户主":
            old = self.conn.execute("SELECT relation FROM people WHERE id = ?", (h.head_id,)).fetchone()
            if old and old[0] == "户主":
                self.tracker.update("people", h.head_id, {"relation": "其他"})
                changes.add("people", h.head_id)
        if h.head_id != pid and (relation == "户主" or h.head_id is None):
            self.tracker.update("households", str(h.id), {"head_id": pid})
            changes.add("households", str(h.id))
        return changes

    def set_head(self, household_id: str, person_id: str) -> Changes:
        """Make a member the head of the household (户主)."""
        h = self.household(household_id)
        p = self.person(person_id)
        if p.household_id != household_id:
            raise ValidationError("户主必须是本户成员")
        with self.transaction():
            changes = self._make_head(h, person_id, "户主")
            if self.tracker.update("people", person_id, {"relation": "户主"}):
                changes.add("people", person_id)
        return changes

    def update_person(self, person: Person, *, today: dt.date | None = None) -> Changes:
        if person.id is None:
            raise ValidationError("缺少居民档案编号")
        current = self.person(person.id)
        check = check_person(replace(person, assistance=list(person.assistance),
                                     disabilities=list(person.disabilities)), today=today)
        p = check.person
        if p.household_id != current.household_id:
            raise ValidationError("更换家庭请使用“迁到其他户”")
        changes = Changes(warnings=list(check.warnings))
        with self.transaction():
            self._check_unique_id(p)
            if p.record_no != current.record_no:
                self._check_record_no(p.record_no, own_id=p.id)
            if self.tracker.update("people", str(p.id), to_values(p)):
                changes.add("people", str(p.id))
                self.audit("update", table="people", row_id=p.id)
            if p.relation == "户主" and current.relation != "户主":
                changes.merge(self._make_head(self.household(str(p.household_id)), str(p.id), "户主"))
            self._reindex(str(p.id))
        return changes

    def person(self, person_id: str) -> Person:
        row = self.conn.execute(
            "SELECT * FROM people WHERE id = ? AND deleted = 0", (person_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError("找不到这位居民的档案")
        return person_from_row(row)

    def person_by_record_no(self, record_no: str) -> Person:
        row = self.conn.execute(
            "SELECT * FROM people WHERE record_no = ? AND deleted = 0", (record_no,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"找不到健康档案编号 {record_no}")
        return person_from_row(row)

    def move_person(self, person_id: str, to_household_id: str, relation: str) -> Changes:
        """Move a member to another household (marriage, split of a household, ...)."""
        p = self.person(person_id)
        if p.household_id == to_household_id:
            raise ValidationError("已经是这户的成员")
        target = self.household(to_household_id)
        source = self.household(str(p.household_id))
        p.relation = relation
        check_person(replace(p), today=dt.date.today())
        changes = Changes()
        with self.transaction():
            self.tracker.update("people", person_id, {
                "household_id": to_household_id, "relation": relation, "partition": target.village_code,
            })
            changes.add("people", person_id)
            changes.tables |= set(partitions.carry_person(self.tracker, person_id, target.village_code))
            if source.head_id == person_id:
                self.tracker.update("households", str(source.id), {"head_id": None})
                changes.add("households", str(source.id))
            changes.merge(self._make_head(self.household(to_household_id), person_id, relation))
            self.audit("move", table="people", row_id=person_id,
                       detail=f"{source.id} -> {to_household_id}")
        return changes

    def mark_person(self, person_id: str, status: str, on: dt.date | None, note: str = "") -> Changes:
        """Mark a resident 迁出 / 死亡 / 失访 with a date, or back to 在册."""
        p = self.person(person_id)
        p.living_status = status
        p.status_date = on if status != "在册" else None
        p.status_note = note if status != "在册" else ""
        return self.update_person(p)

    def _reindex(self, person_id: str) -> None:
        r = self.conn.execute(
            "SELECT name, id_no, record_no, phone, person_no FROM people WHERE id = ?", (person_id,)
        ).fetchone()
        people_repo.reindex(self.conn, person_id, name=r["name"], id_no=r["id_no"],
                            record_no=r["record_no"], phone=r["phone"],
                            extra=(r["person_no"],) if r["person_no"] else ())

    def search_people(self, query: str, *, limit: int = 50) -> list[people_repo.PersonHit]:
        return people_repo.search(self.conn, query, limit=limit)

    def person_count(self, *, living_only: bool = True) -> int:
        sql = "SELECT count(*) FROM people WHERE deleted = 0"
        if living_only:
            sql += " AND living_status = '在册'"
        return int(self.conn.execute(sql).fetchone()[0])

    # --- diagnoses -----------------------------------------------------------------------

    def add_diagnosis(self, diagnosis: Diagnosis, *,
                      today: dt.date | None = None) -> tuple[RecordId, Changes]:
        d = check_diagnosis(replace(diagnosis), today=today)
        p = self.person(d.person_id)
        h = self.household(str(p.household_id))
        changes = Changes()
        with self.transaction():
            exists = self.conn.execute(
                "SELECT id FROM diagnoses WHERE person_id = ? AND condition = ? AND deleted = 0",
                (d.person_id, d.condition),
            ).fetchone()
            if exists:
                raise ConflictError(f"{p.name} 的档案中已有“{d.condition}”")
            did = rid(self.tracker.insert("diagnoses", to_values(d), partition=h.village_code))
            changes.add("diagnoses", did)
        return did, changes

    def remove_diagnosis(self, diagnosis_id: str) -> Changes:
        changes = Changes()
        with self.transaction():
            if self.tracker.tombstone("diagnoses", diagnosis_id):
                changes.add("diagnoses", diagnosis_id)
        return changes

    def end_diagnosis(self, person_id: str, condition: str, on: dt.date, *,
                      today: dt.date | None = None) -> Changes:
        """Take a condition off a person's file from a date (cured, misdiagnosed): the row is
        kept as a tombstone whose note carries the date, so follow-ups stop and history stays."""
        d = next((x for x in self.diagnoses(person_id) if x.condition == condition), None)
        p = self.person(person_id)
        if d is None or d.id is None:
            raise NotFoundError(f"{p.name} 的档案中没有“{condition}”")
        if on > (today or dt.date.today()):
            raise ValidationError("结束日期不能在今天之后", field="ended_on")
        if d.confirmed_on is not None and on < d.confirmed_on:
            raise ValidationError(f"结束日期不能早于确诊日期 {d.confirmed_on}", field="ended_on")
        note = "；".join(filter(None, (d.note, f"{on.isoformat()} 结束")))
        changes = Changes()
        with self.transaction():
            if self.tracker.update("diagnoses", str(d.id), {"note": note, "deleted": 1}):
                changes.add("diagnoses", str(d.id))
            self.audit("end_diagnosis", table="diagnoses", row_id=str(d.id),
                       detail=f"{p.name} {condition} {on.isoformat()} 结束")
        return changes

    def diagnoses(self, person_id: str) -> list[Diagnosis]:
        return [diagnosis_from_row(r) for r in self.conn.execute(
            "SELECT * FROM diagnoses WHERE person_id = ? AND deleted = 0 ORDER BY confirmed_on, id",
            (person_id,),
        )]

    # --- users ---------------------------------------------------------------------------

    def add_user(self, username: str, display_name: str, role: str, password: str) -> User:
        """Add a user; a signed-in user may add only roles they may manage (app.core.users)."""
        return users_repo.add_user(self, username, display_name, role, password)

    def add_first_user(self, username: str, display_name: str, role: str, password: str) -> User:
        """The first user of a brand-new database (no role rules: nobody exists yet); signs in as them."""
        return users_repo.add_first_user(self, username, display_name, role, password)

    def check_may_replace_data(self) -> User:
        """Refuse a restore or a replacement of this database unless the signed-in user may."""
        return users_repo.check_may_replace_data(self)

    def users(self) -> list[User]:
        return [users_repo.user_from_row(r)
                for r in self.conn.execute("SELECT * FROM users ORDER BY created_at, username")]

    def has_users(self) -> bool:
        return self.conn.execute("SELECT 1 FROM users LIMIT 1").fetchone() is not None

    @property
    def signer(self) -> str:
        """The signed-in user's name as signed on a form; empty when nobody signed in (CLI, scripts)."""
        row = self.conn.execute("SELECT display_name FROM users WHERE username = ?",
                                (self.user,)).fetchone()
        return str(row[0]) if row is not None and self.user != SYSTEM_USER else ""

    def acting_user(self) -> User:
        """The signed-in user whose role every user action is checked against (AuthError: nobody)."""
        return users_repo.acting_user(self)

    def clinic_has_admin(self) -> bool:
        return users_repo.clinic_has_admin(self.conn)

    def authenticate(self, username: str, password: str) -> User:
        """Sign in; too many wrong passwords make the next tries wait (`SignInWaitError`)."""
        return users_repo.authenticate(self, username, password, self.clock())

    def locked_users(self) -> set[str]:
        """Ids of users locked out for too many wrong passwords."""
        return users_repo.locked_users(self, self.clock())

    def unlock_user(self, user_id: str) -> None:
        """Lift a user's sign-in lock (a user the signed-in one may manage)."""
        users_repo.unlock_user(self, user_id)

    def update_user(self, user_id: str, *, role: str | None = None, active: bool | None = None,
                    password: str | None = None, display_name: str | None = None) -> None:
        """Change a user under the role rules; the last active administrator is kept."""
        users_repo.update_user(self, user_id, role=role, active=active, password=password,
                               display_name=display_name)

    # --- contracts (app/storage/contracts.py) ---------------------------------------------

    def add_team(self, team: Team) -> tuple[RecordId, Changes]:
        return contracts_repo.add_team(self, team)

    def teams(self) -> list[Team]:
        return contracts_repo.teams(self)

    def team(self, ref: str) -> Team:
        return contracts_repo.team(self, ref)

    def packages(self) -> list[ServicePackage]:
        return contracts_repo.packages(self)

    def packages_text(self) -> str:
        return contracts_repo.packages_text(self)

    def set_packages(self, toml_text: str) -> Changes:
        return contracts_repo.set_packages(self, toml_text)

    def sign_household(self, household_id: str, team_id: str, package_codes: Sequence[str],
                       signed_on: dt.date, members: Sequence[str] | None = None, *,
                       level: str = "household", choice: Mapping[str, Sequence[str]] | None = None,
                       overrides: Iterable[tuple[str, str]] = ()) -> tuple[RecordId, Changes]:
        return contracts_repo.sign_household(self, household_id, team_id, package_codes, signed_on,
                                             members, level=level, choice=choice, overrides=overrides)

    def signing_plan(self, household_id: str, package_codes: Sequence[str],
                     signed_on: dt.date) -> signing_repo.SigningPlan:
        """Which 在册 members each asked package fits on the day, and who is left out and why."""
        from app.core.contracts import package_by_code

        members = [str(p.id) for p in self.members(household_id) if p.living_status == "在册"]
        chosen = package_by_code(self.packages(), package_codes)
        return signing_repo.plan(self, household_id, chosen, signed_on, members)

    def package_fits(self, household_id: str, signed_on: dt.date) -> dict[str, dict[str, Fit]]:
        """Person id → package code → whether it fits on the signing day, for every 在册 member."""
        return signing_repo.fits(self, household_id, self.packages(), signed_on)

    def member_facts(self, household_id: str, on: dt.date) -> list[MemberFacts]:
        """Every 在册 member as the package fit rule sees them on a signing day."""
        return signing_repo.household_facts(self, household_id, on)

    def current_poverty_status(self, household_id: str, on: dt.date) -> str:
        """The household's poverty status in force on a day, from its status history."""
        return signing_repo.current_status(self, household_id, on)

    def contract(self, ref: str) -> Contract:
        return contracts_repo.contract(self, ref)

    def contracts(self, *, today: dt.date, status: str | None = None, expiring: int | None = None,
                  unserved: bool = False, group: str | None = None) -> list[contracts_repo.ContractLine]:
        return contracts_repo.contracts(self, today=today, status=status, expiring=expiring,
                                        unserved=unserved, group=group)

    def renew(self, contract_id: str, on: dt.date) -> tuple[RecordId, Changes]:
        return contracts_repo.renew(self, contract_id, on)

    def dissolve(self, contract_id: str, reason: str, on: dt.date, note: str = "") -> Changes:
        return contracts_repo.dissolve(self, contract_id, reason, on, note)

    def record_service(self, delivery: ServiceDelivery, *, today: dt.date) -> tuple[RecordId, Changes]:
        return contracts_repo.record_service(self, delivery, today=today)

    def household_contracts(self, household_id: str) -> list[Contract]:
        return contracts_repo.household_contracts(self, household_id)

    def deliveries(self, contract_id: str) -> list[ServiceDelivery]:
        return contracts_repo.deliveries(self, contract_id)

    def unserved(self, today: dt.date) -> list[contracts_repo.ContractLine]:
        """签而不约: live contracts without any 履约 record after the configured number of days."""
        return contracts_repo.contracts(self, today=today, unserved=True)

    def contract_progress(self, contract_id: str) -> list[ServiceProgress]:
        return contracts_repo.progress(self, contract_id)

    def find_household(self, ref: str) -> str:
        return contracts_repo.find_household(self, ref)
