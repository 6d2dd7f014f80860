"""Configuration the county sent, as the clinic holds it: reached as `ws.county_config`.

Items arrive signed (the sync checks every signature before calling `apply`) and are applied in
one transaction: a new item is checked as the clinic checks its own files and stored, replacing
an older one of the same kind, key and scope; a withdrawn one is deleted, so the clinic's own
value (or the program's default) is used again. The highest version applied is remembered, so
the same reply applied twice changes nothing.

Where items of several scopes share a key, the nearest scope wins: the village's over the
township's over the county's. What the county sets is read-only here: a setting it holds
overrides the clinic's (`SettingsRepo` reads through this repository and refuses to change it),
its service packages come before the clinic's own list (a local package with the same code is
hidden), and its policy packs are chosen before the county folder's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from app.core.contracts import ServicePackage
from app.core.errors import ValidationError
from app.core.policy import PolicyPack, parse_pack
from app.core.scope import ancestors
from app.storage.config_items import SETTING_KEYS, check_body, check_settings
from app.storage.packages import package_from_dict

if TYPE_CHECKING:
    from app.storage.workspace import Workspace

VERSION_KEY = "county_config_version"     # settings: the highest county configuration version applied


class Published(Protocol):
    """An item as the county sent it (app.sync.protocol.ConfigItem)."""

    @property
    def id(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def key(self) -> str: ...
    @property
    def scope(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def body(self) -> str: ...
    @property
    def published_at(self) -> str: ...
    @property
    def withdrawn(self) -> bool: ...
    @property
    def signature(self) -> str: ...


@dataclass(frozen=True)
class CountyItem:
    """An item in force here."""

    id: int
    kind: str
    key: str
    scope: str
    version: int
    published_at: str
    body: str
    value: str | None          # a setting's value

    @property
    def date(self) -> str:
        """The day it was published, for people (YYYY-MM-DD)."""
        return self.published_at[:10]


@dataclass
class Applied:
    """What one reply changed here."""

    stored: int = 0          # items added or replaced
    withdrawn: int = 0       # items removed
    ignored: int = 0         # already applied, or for another scope

    @property
    def changed(self) -> int:
        return self.stored + self.withdrawn


def _rank(scope: str) -> int:
    """How near a scope is to a clinic: a village 3, a township 2, the county 1."""
    if scope.endswith("000000"):
        return 1
    return 2 if scope.endswith("000") else 3


class CountyConfigRepo:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._present = False

    def _exists(self) -> bool:
        """Whether the file has the table (one being upgraded, from before schema 17, has not)."""
        if not self._present:
            self._present = self.ws.conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'county_config'"
            ).fetchone() is not None
        return self._present

    def after(self) -> int:
        """The highest version applied here (0: none yet)."""
        text = self.ws.settings.own(VERSION_KEY)
        return int(text) if text.isdigit() else 0

    def apply(self, items: Iterable[Published], *, scope: str) -> Applied:
        """Apply checked, signed items for this clinic's `scope` in one transaction: all of them
        or, when one cannot be used, none (a ValidationError says which)."""
        places = {scope, *ancestors(scope)}
        done = Applied()
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self.ws.transaction():
            after = top = self.after()
            settings_changed = False
            for item in sorted(items, key=lambda i: i.version):
                if item.version <= after or item.scope not in places:
                    done.ignored += 1
                    continue
                top = max(top, item.version)
                settings_changed |= item.kind == "setting"
                if item.withdrawn:
                    done.withdrawn += self.ws.conn.execute(
                        "DELETE FROM county_config WHERE id = ?", (item.id,)).rowcount
                    continue
                body = check_body(item.kind, item.key, item.body)
                self.ws.conn.execute(
                    "INSERT OR REPLACE INTO county_config (id, kind, key, scope, version, body, value,"
                    " published_at, signature, applied_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (item.id, item.kind, item.key, item.scope, item.version, item.body,
                     body.get("value") if item.kind == "setting" else None, item.published_at,
                     item.signature, now))
                done.stored += 1
            if settings_changed:
                self._check_settings()
            if top != after:
                self.ws.settings.set(**{VERSION_KEY: top})
            if done.changed:
                self.ws.audit("county_config", detail=f"版本 {after}→{top}：采用 {done.stored} 项，"
                                                      f"撤回 {done.withdrawn} 项")
        return done

    def _check_settings(self) -> None:
        values = {k: v for k, v in self.ws.settings.all().items() if k in SETTING_KEYS}
        try:
            check_settings(values)
        except ValidationError as exc:
            raise ValidationError(f"县里下发的设置与本机的设置合起来不符合规则（{exc}）："
                                  "本次下发的配置没有采用，请联系县级管理员", field=exc.field) from None

    # --- reading -------------------------------------------------------------------------------

    def items(self, kind: str | None = None) -> list[CountyItem]:
        """The items in force, the nearest scope's for each key, by kind and key."""
        if not self._exists():
            return []
        sql = "SELECT id, kind, key, scope, version, published_at, body, value FROM county_config"
        params: tuple[Any, ...] = ()
        if kind is not None:
            sql += " WHERE kind = ?"
            params = (kind,)
        best: dict[tuple[str, str], CountyItem] = {}
        for r in self.ws.conn.execute(sql, params):
            item = CountyItem(int(r[0]), str(r[1]), str(r[2]), str(r[3]), int(r[4]), str(r[5]),
                              str(r[6]), None if r[7] is None else str(r[7]))
            held = best.get((item.kind, item.key))
            if held is None or _rank(item.scope) > _rank(held.scope):
                best[(item.kind, item.key)] = item
        order = {"setting": 0, "service_package": 1, "policy_pack": 2}
        return sorted(best.values(), key=lambda i: (order.get(i.kind, 9), i.key))

    def settings(self) -> dict[str, str]:
        """The settings the county holds: key → value."""
        return {i.key: i.value or "" for i in self.items("setting")}

    def setting(self, key: str) -> CountyItem | None:
        """The county's item for one setting (the nearest scope's), if it holds it."""
        if not self._exists():
            return None
        r = self.ws.conn.execute(
            "SELECT id, kind, key, scope, version, published_at, body, value FROM county_config"
            " WHERE kind = 'setting' AND key = ?"
            " ORDER BY (substr(scope, 7) != '000000') + (substr(scope, 10) != '000') DESC LIMIT 1",
            (key,)).fetchone()
        return None if r is None else CountyItem(int(r[0]), str(r[1]), str(r[2]), str(r[3]), int(r[4]),
                                                 str(r[5]), str(r[6]), None if r[7] is None else str(r[7]))

    def packages(self) -> list[tuple[ServicePackage, CountyItem]]:
        """The county's service packages, each with the item it came in."""
        import json

        return [(package_from_dict(json.loads(i.body)["package"], where="县里下发的"), i)
                for i in self.items("service_package")]

    def policy_packs(self) -> list[tuple[PolicyPack, CountyItem]]:
        """The county's policy packs, each with the item it came in."""
        import json

        return [(parse_pack(json.loads(i.body)["toml"], source=f"县里下发的政策包 {i.key}"), i)
                for i in self.items("policy_pack")]
