"""Configuration the county publishes for its clinics: service packages, policy packs, rule settings.

`cunyi-county config publish|list|withdraw` write and read `config_items` (server schema 2); a
clinic asks for what was published or withdrawn after the highest version it applied, over the
session its sync opened (`POST /v1/config`), and gets only the items of its own scope and the
scopes above it (its township, its county). Every item is signed by the county's key, again each
time it changes, over app.sync.config.item_payload.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from app.core.errors import NotFoundError, ValidationError
from app.core.identity import parse_division_code
from app.core.scope import ancestors
from app.server.store import Store
from app.storage.config_items import MAX_KEY, Entry
from app.sync.config import signed
from app.sync.protocol import MAX_CHUNK, MAX_CONFIG_BODY, ConfigItem, ConfigPull, ConfigReply

LOCK_KEY = 0x63756E7969_02          # pg_advisory_xact_lock key of publishing ("cunyi", 2)
_COLUMNS = ("id, kind, key, scope, version, body,"
            " to_char(published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
            " withdrawn, signature")


@dataclass(frozen=True)
class Published:
    """An item as `config list` shows it."""

    item: ConfigItem
    current: bool          # not withdrawn, and no newer item of its kind, key and scope

    def as_json(self) -> dict[str, Any]:
        return {"id": self.item.id, "kind": self.item.kind, "key": self.item.key,
                "scope": self.item.scope, "version": self.item.version,
                "published_at": self.item.published_at, "withdrawn": self.item.withdrawn,
                "current": self.current, "body": json.loads(self.item.body)}


def _item(r: Any) -> ConfigItem:
    return ConfigItem(id=int(r[0]), kind=r[1], key=str(r[2]), scope=str(r[3]), version=int(r[4]),
                      body=str(r[5]), published_at=str(r[6]), withdrawn=bool(r[7]),
                      signature=bytes(r[8]).hex())


class CountyConfig:
    """The county's configuration items, on the store's connection."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.conn = store.conn

    def _lock(self) -> None:
        """One writer at a time, so versions commit in the order they are drawn and a clinic
        that has seen version n never misses a smaller one committed later."""
        self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))

    def _sign(self, item_id: int, private: bytes) -> ConfigItem:
        """Sign the row as it now stands (inside the transaction that changed it)."""
        row = self.conn.execute(f"SELECT {_COLUMNS} FROM config_items WHERE id = %s", (item_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"没有编号为 {item_id} 的配置")
        item = signed(_item(row), private)
        self.conn.execute("UPDATE config_items SET signature = %s WHERE id = %s",
                          (bytes.fromhex(item.signature), item_id))
        return item

    def publish(self, entries: list[Entry], scope: str) -> list[ConfigItem]:
        """Publish checked items for the clinics of `scope`, all in one transaction."""
        parse_division_code(scope)
        if not entries:
            raise ValidationError("没有要发布的配置")
        for e in entries:
            if len(e.key) > MAX_KEY:
                raise ValidationError(f"“{e.key[:40]}…”太长：名称（代码、县名）不能超过 {MAX_KEY} 个字")
            if len(e.text) > MAX_CONFIG_BODY:
                raise ValidationError(f"“{e.key}”的内容超过 {MAX_CONFIG_BODY // 1024} KB，不能下发")
        with self.conn.transaction():
            self._lock()
            private = self.store.county_key().private
            out = []
            for e in entries:
                got = self.conn.execute(
                    "INSERT INTO config_items (kind, key, scope, body) VALUES (%s, %s, %s, %s) RETURNING id",
                    (e.kind, e.key, scope, e.text)).fetchone()
                assert got is not None
                out.append(self._sign(int(got[0]), private))
        return out

    def withdraw(self, item_id: int) -> ConfigItem:
        """Withdraw an item: it gets a new version, so clinics that applied it remove it."""
        with self.conn.transaction():
            self._lock()
            got = self.conn.execute("SELECT withdrawn FROM config_items WHERE id = %s FOR UPDATE",
                                    (item_id,)).fetchone()
            if got is None:
                raise NotFoundError(f"没有编号为 {item_id} 的配置（见 cunyi-county config list）")
            if got[0]:
                raise ValidationError(f"配置 {item_id} 已经撤回过了")
            self.conn.execute(
                "UPDATE config_items SET withdrawn = true, withdrawn_at = now(),"
                " version = nextval('config_seq') WHERE id = %s", (item_id,))
            return self._sign(item_id, self.store.county_key().private)

    def list(self) -> list[Published]:
        rows = [_item(r) for r in self.conn.execute(
            f"SELECT {_COLUMNS} FROM config_items ORDER BY version")]
        newest: dict[tuple[str, str, str], int] = {}
        for i in rows:
            if not i.withdrawn:
                newest[(i.kind, i.key, i.scope)] = i.id
        return [Published(i, not i.withdrawn and newest.get((i.kind, i.key, i.scope)) == i.id)
                for i in rows]

    def reply(self, message: ConfigPull) -> ConfigReply:
        """What a clinic's session may have: its scope's items after `after`, oldest first."""
        with self.conn.transaction():
            device = self.store._session(message.session)
            places = [device.scope, *ancestors(device.scope)]
            items = [_item(r) for r in self.conn.execute(
                f"SELECT {_COLUMNS} FROM config_items WHERE scope = ANY(%s) AND version > %s"
                " ORDER BY version LIMIT %s", (places, message.after, MAX_CHUNK))]
            got = self.conn.execute("SELECT coalesce(max(version), 0) FROM config_items"
                                    " WHERE scope = ANY(%s)", (places,)).fetchone()
            self.conn.execute("UPDATE sync_sessions SET updated_at = now() WHERE id = %s",
                              (message.session,))
        return ConfigReply(session=message.session, items=items, latest=int(got[0]) if got else 0)
