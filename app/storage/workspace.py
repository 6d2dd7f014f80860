"""The Workspace: one open clinic database and every domain action on it.

The UI and the CLI call these methods and nothing below them. Each mutation applies the core's
rules, writes through the tracked write path in one transaction and returns a `Changes` value.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import cast

import sqlite_utils

from app.core.errors import ConflictError, NotFoundError, ValidationError
from app.core.households import (
    Household,
)
from app.core.identity import health_record_no, next_serial, parse_division_code
from app.core.ids import RecordId, uuid7
from app.core.people import Diagnosis, Person, check_diagnosis, check_person
from app.core.users import User
from app.storage import audit as audit_repo
from app.storage import numbers, partitions
from app.storage import people as people_repo
from app.storage.care import CareRepo
from app.storage.changes import Changes, Tracker, now_iso
from app.storage.claims import ClaimsRepo
from app.storage.contracts import ContractsRepo
from app.storage.db import open_database, transaction
from app.storage.engine import sqlite3
from app.storage.households import HouseholdsRepo
from app.storage.rows import diagnosis_from_row, person_from_row, rid, to_values
from app.storage.settings import SettingsRepo
from app.storage.users import SYSTEM_USER, UsersRepo

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
            user = ws.users.authenticate(username, password)
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
            ws.settings.set(
                clinic_name=clinic_name.strip(), division_code=code.code,
                division_name=division_name.strip(),
            )
            ws.settings.add_division(code.code, division_name.strip())
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

    @functools.cached_property
    def settings(self) -> SettingsRepo:
        """Clinic settings, the division code, divisions and villages, protected places."""
        return SettingsRepo(self)

    @functools.cached_property
    def users(self) -> UsersRepo:
        """The clinic's users: adding, changing, signing in, the acting user."""
        return UsersRepo(self)

    @functools.cached_property
    def contracts(self) -> ContractsRepo:
        """Teams, service packages, signing, contracts and their 履约 records."""
        return ContractsRepo(self)

    @functools.cached_property
    def households(self) -> HouseholdsRepo:
        """Household files, members, poverty status and help persons."""
        return HouseholdsRepo(self)

    # --- instance -----------------------------------------------------------

    @property
    def instance_id(self) -> str:
        return str(self.conn.execute("SELECT instance_id FROM local_instance").fetchone()[0])

    @property
    def station(self) -> int:
        return int(self.conn.execute("SELECT station FROM local_instance").fetchone()[0])

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

    # --- people --------------------------------------------------------------------------

    def add_person(self, person: Person, *, today: dt.date | None = None) -> tuple[RecordId, Changes]:
        """Add a member to a household; the health-record number is allocated when empty."""
        if person.household_id is None:
            raise ValidationError("请先选择家庭", field="household_id")
        check = check_person(replace(person, assistance=list(person.assistance),
                                     disabilities=list(person.disabilities)), today=today)
        p = check.person
        h = self.households.get(person.household_id)
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
                changes.merge(self._make_head(self.households.get(str(p.household_id)), str(p.id), "户主"))
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
        target = self.households.get(to_household_id)
        source = self.households.get(str(p.household_id))
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
            changes.merge(self._make_head(self.households.get(to_household_id), person_id, relation))
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
        h = self.households.get(str(p.household_id))
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

