"""Clinic settings, the clinic's division code, the divisions it keeps and where no output may go.

Reached as `workspace.settings`. Plain reads and `set` write no audit entry; `update` checks
the values and is audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core.errors import ValidationError
from app.core.identity import parse_division_code
from app.core.ids import division_id
from app.core.outputs import ProtectedPlaces
from app.storage.changes import Changes
from app.storage.config_items import SETTING_KEYS
from app.storage.engine import sqlite3

if TYPE_CHECKING:
    from app.storage.workspace import Workspace


class SettingsRepo:
    """The settings table (clinic name, backup folder, ...) and the divisions table."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def all(self) -> dict[str, str]:
        """Every setting in force: the clinic's, with those the county holds in their place."""
        own = {r[0]: r[1] for r in self.ws.conn.execute("SELECT key, value FROM settings")}
        return {**own, **self.ws.county_config.settings()}

    def get(self, key: str, default: str = "") -> str:
        """A setting in force: the county's if it holds it, else the clinic's, else `default`."""
        if key in SETTING_KEYS:
            held = self.ws.county_config.setting(key)
            if held is not None:
                return held.value or ""
        return self.own(key, default)

    def own(self, key: str, default: str = "") -> str:
        """The clinic's own value of a setting, whatever the county holds."""
        row = self.ws.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else default

    def _without_county(self, values: dict[str, object]) -> dict[str, object]:
        """`values` less the settings the county holds at the same value; a different value for
        one of them is refused (the county's settings are changed only by the county)."""
        held = self.ws.county_config.settings()
        refused = sorted(k for k, v in values.items() if k in held and str(v) != held[k])
        if refused:
            raise ValidationError(f"设置项 {'、'.join(refused)} 由县里统一下发，不能在本机修改",
                                  field=refused[0])
        return {k: v for k, v in values.items() if k not in held}

    def protected_places(self, *, data_folders: Sequence[Path | str] = ()) -> ProtectedPlaces:
        """Where no output may be written: the database's folder, the backups and the policy packs."""
        from app.storage.outputs import places_for

        return places_for(self.ws.path, data_folders=data_folders,
                          backup_dirs=[self.get("backup_dir"), self.ws.path.parent / "backups"],
                          policy_dirs=[self.ws.claims.policy_dir()])

    def set(self, **values: object) -> None:
        self.ws.conn.executemany(
            "INSERT INTO settings (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [(k, str(v)) for k, v in values.items()],
        )

    def update(self, **values: object) -> Changes:
        """Change clinic settings (name, backup folder, ...); the code via `change_division_code`."""
        if "division_code" in values:
            raise ValidationError("卫生室的区划代码请在“更改区划代码”中由管理员修改", field="division_code")
        if "clinic_name" in values and not str(values["clinic_name"]).strip():
            raise ValidationError("请填写卫生室名称", field="clinic_name")
        values = self._without_county(values)
        with self.ws.transaction():
            self.set(**values)
            self.ws.audit("update_settings", detail=", ".join(sorted(values)))
            if "clinic_name" in values:
                from app.storage import unlock

                unlock.clinic_renamed(self.ws, str(values["clinic_name"]).strip())
        return Changes(tables={"settings"})

    @property
    def division_code(self) -> str:
        return self.get("division_code")

    def plan_division_change(self, code: str, name: str) -> Any:
        """What correcting the clinic's village code would do (a `DivisionChange`); writes nothing."""
        from app.storage import clinic_division

        return clinic_division.plan_division_change(self.ws, code, name)

    def change_division_code(self, code: str, name: str) -> Changes:
        """Correct the clinic's village code (administrators only); existing numbers are kept."""
        from app.storage import clinic_division

        return clinic_division.change_division(self.ws, code, name)[1]

    def add_division(self, code: str, name: str) -> Changes:
        dc = parse_division_code(code)
        parent = None
        if dc.level == "village":
            parent = dc.code[:9] + "000"
        elif dc.level == "township":
            parent = dc.code[:6] + "000000"
        changes = Changes()
        with self.ws.transaction():
            row = self.ws.conn.execute("SELECT id FROM divisions WHERE code = ?", (dc.code,)).fetchone()
            if row:
                if self.ws.tracker.update("divisions", row[0], {"name": name}):
                    changes.add("divisions", row[0])
            else:
                new_id = self.ws.tracker.insert(
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
        return list(self.ws.conn.execute(sql + " ORDER BY code", params))

    def division_name(self, code: str) -> str:
        row = self.ws.conn.execute("SELECT name FROM divisions WHERE code = ?", (code,)).fetchone()
        return str(row[0]) if row else ""

    def villages(self) -> list[tuple[str, str]]:
        """(code, name) of the villages this clinic keeps files for."""
        return [(r["code"], r["name"]) for r in self.divisions("village")]
