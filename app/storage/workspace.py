"""The Workspace: one open clinic database, and one repo per area for every domain action on it.

The UI and the CLI call the Workspace and its repos (`ws.households`, `ws.people`, `ws.contracts`,
`ws.care`, `ws.claims`, `ws.users`, `ws.settings`, `ws.record_numbers`) and nothing below them. Each mutation applies
the core's rules, writes through the tracked write path in one transaction and returns a
`Changes` value.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import cast

import sqlite_utils

from app.core.errors import ConflictError, ValidationError
from app.core.identity import parse_division_code
from app.core.ids import uuid7
from app.core.users import User
from app.storage import audit as audit_repo
from app.storage import device, versions
from app.storage.care import CareRepo
from app.storage.changes import Tracker, now_iso
from app.storage.claims import ClaimsRepo
from app.storage.contracts import ContractsRepo
from app.storage.county_config import CountyConfigRepo
from app.storage.db import open_database, transaction
from app.storage.engine import sqlite3
from app.storage.households import HouseholdsRepo
from app.storage.people import PeopleRepo
from app.storage.record_numbers import RecordNumbersRepo
from app.storage.settings import SettingsRepo
from app.storage.syncing import SyncRepo
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

    @property
    def user(self) -> str:
        """The signed-in username (SYSTEM_USER when nobody is): audit lines and outbox entries name it."""
        return self._user

    @user.setter
    def user(self, username: str) -> None:
        self._user = username
        self.tracker.user = None if username == SYSTEM_USER else username

    # --- opening ------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str, *, claim: bool = True) -> Workspace:
        """Open a database; an encrypted one needs its key unlocked first (see `sign_in`).

        Opening claims the file for this PC first (`device.claim`: a copy made on another PC
        takes a new instance id before anything is written); `claim=False` only for a caller
        that makes no tracked write (`cunyi sql`).
        """
        p = Path(path)
        try:
            return cls._open(p, claim=claim)
        except MemoryError as exc:      # SQLCipher's answer for a page that no longer decrypts
            from app.core.errors import DatabaseDamagedError

            raise DatabaseDamagedError(f"数据库文件已损坏：{p.name}（有页面无法解密）") from exc

    @classmethod
    def _open(cls, p: Path, *, claim: bool = True) -> Workspace:
        ws = cls(open_database(p, claim=claim), p)
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
                check: Callable[[Workspace], None] | None = None,
                claim: bool = True) -> tuple[Workspace, User]:
        """Unlock and open the database as `username`: the app's and the command line's way in.

        An encrypted database is unlocked with the user's password from its key file; a plain
        one (from before encryption) is signed in to and then encrypted for this user, whose
        `recovery_key_to_show` then holds the clinic's recovery key, to be written down once.
        `check` looks at the opened file before anything is written for the sign-in; `claim` as
        for `open`.
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
            ws = cls.open(p, claim=claim)
            try:
                if check is not None:
                    check(ws)
                return ws, unlock.record_sign_in(ws, unsealed)
            except BaseException:
                ws.close()
                raise
        ws = cls.open(p, claim=claim)
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
            device.bind(ws.conn)                 # this PC's: a copy elsewhere takes a new id
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

    @functools.cached_property
    def people(self) -> PeopleRepo:
        """Residents' files, diagnoses and search."""
        return PeopleRepo(self)

    @functools.cached_property
    def sync(self) -> SyncRepo:
        """What goes to the county and what comes back: outbox, acknowledgements, county rows."""
        return SyncRepo(self)

    @functools.cached_property
    def county_config(self) -> CountyConfigRepo:
        """Service packages, policy packs and rule settings the county sent (read-only here)."""
        return CountyConfigRepo(self)

    @functools.cached_property
    def record_numbers(self) -> RecordNumbersRepo:
        """This installation's 档案号 block, provisional until the county confirms the station."""
        return RecordNumbersRepo(self)

    # --- instance ------------------------------------------------------------------------

    @property
    def instance_id(self) -> str:
        return str(self.conn.execute("SELECT instance_id FROM local_instance").fetchone()[0])

    @property
    def station(self) -> int:
        return int(self.conn.execute("SELECT station FROM local_instance").fetchone()[0])

    def unsynced_count(self) -> int:
        """Changes the county has not acknowledged (outbox entries; `server_seq` says nothing)."""
        return versions.unsynced_count(self.conn)

    # --- audit ---------------------------------------------------------------------------

    def audit(self, action: str, *, table: str | None = None, row_id: str | None = None,
              detail: str = "") -> None:
        """Append one entry to the chained audit log (through its one writer)."""
        with self._lock:
            audit_repo.append(self.conn, at=now_iso(), username=self.user, action=action,
                              table=table, row_id=row_id, detail=detail)

