"""Configuration from the county, signed: the canonical bytes of an item and their signature.

The county signs every item it publishes or withdraws with the key that signs the clinics'
certificates; a clinic checks each item against the county key it received at enrolment before
applying anything, and refuses the whole reply if one item does not check out. The signed bytes
are a fixed JSON encoding of every field but the signature, so a changed body, scope, version or
withdrawal flag breaks the signature.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from app.core.errors import CunyiError
from app.sync.identity import sign, verify
from app.sync.protocol import ConfigItem

KIND_NAMES = {"service_package": "服务包", "policy_pack": "报销政策包", "setting": "规则设置"}


class ConfigSignatureError(CunyiError):
    """A configuration item the county's key did not sign: the reply is refused, nothing applied."""


def item_payload(item: ConfigItem) -> bytes:
    """What the county signs: every field of the item but its signature, in a fixed encoding."""
    return json.dumps({"v": 1, "id": item.id, "kind": item.kind, "key": item.key, "scope": item.scope,
                       "version": item.version, "body": item.body, "published_at": item.published_at,
                       "withdrawn": item.withdrawn},
                      sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def signed(item: ConfigItem, county_private: bytes) -> ConfigItem:
    """The item with the county's signature."""
    return item.model_copy(update={"signature": sign(county_private, item_payload(item)).hex()})


def check_items(items: Iterable[ConfigItem], county_public: bytes) -> None:
    """Refuse, in Chinese, the first item the county's key did not sign."""
    for item in items:
        try:
            ok = verify(county_public, bytes.fromhex(item.signature), item_payload(item))
        except ValueError:
            ok = False
        if not ok:
            raise ConfigSignatureError(
                f"县里下发的配置（{KIND_NAMES.get(item.kind, item.kind)}“{item.key}”，第 {item.version} 版）"
                "签名不对，可能在传输中被改动：本次下发的配置一项也没有采用，请联系县级管理员")
