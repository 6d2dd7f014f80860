"""Protocol messages: validated on reading, refused from a newer protocol, compressed, bounded."""

from __future__ import annotations

import gzip
import json

import pytest

from app.storage.changes import SYNCED_TABLES
from app.sync.protocol import (
    MAX_BODY,
    PROTOCOL_VERSION,
    TABLES,
    Change,
    Hello,
    ProtocolError,
    Push,
    PushReply,
    Version,
    decode,
    encode,
)


def change(**over: object) -> Change:
    fields: dict = {"table": "people", "id": "0190a1b2-0000-7000-8000-000000000001",
                    "version": Version(instance="i1", counter=3), "base": 12,
                    "values": {"phone": "13900000002"}, "user": "wang"}
    return Change.model_validate({**fields, **over})


def test_the_protocol_names_every_synced_table_and_no_other() -> None:
    assert TABLES == SYNCED_TABLES


def test_a_push_survives_the_round_trip() -> None:
    push = Push(session="s1", chunk=0, changes=[change(), change(id="x2", base=None,
                                                                 values={"name": "张三", "deleted": 0})])
    assert decode(Push, encode(push)) == push


def test_a_body_from_a_newer_protocol_is_refused_with_a_message_to_upgrade() -> None:
    body = gzip.compress(json.dumps({"protocol": PROTOCOL_VERSION + 1, "kind": "hello",
                                     "something": "new"}).encode())
    with pytest.raises(ProtocolError, match="请升级村医"):
        decode(Hello, body)


def test_unknown_fields_tables_and_bad_versions_are_refused() -> None:
    good = json.loads(Push(session="s", chunk=0, changes=[change()]).model_dump_json())
    for broken in (
        {**good, "extra": 1},
        {**good, "changes": [{**good["changes"][0], "table": "users"}]},
        {**good, "changes": [{**good["changes"][0], "version": {"instance": "i", "counter": 0}}]},
        {**good, "changes": [{**good["changes"][0], "values": {"phone": ["a"]}}]},
        {key: v for key, v in good.items() if key != "protocol"},
    ):
        with pytest.raises(ProtocolError):
            decode(Push, gzip.compress(json.dumps(broken).encode()))


def test_a_message_of_another_kind_is_refused() -> None:
    reply = PushReply(session="s", chunk=0, acks=[])
    with pytest.raises(ProtocolError):
        decode(Push, encode(reply))


def test_a_truncated_or_damaged_body_is_refused() -> None:
    body = encode(Push(session="s", chunk=0, changes=[change()]))
    for broken in (body[: len(body) // 2], body[:-4] + b"\0\0\0\0", b"not gzip"):
        with pytest.raises(ProtocolError, match="无法读取"):
            decode(Push, broken)


def test_a_small_body_that_inflates_beyond_the_limit_is_refused() -> None:
    bomb = gzip.compress(b" " * (MAX_BODY + 10))
    assert len(bomb) < 100_000
    with pytest.raises(ProtocolError, match="超过"):
        decode(Push, bomb)


def test_encoding_is_deterministic() -> None:
    push = Push(session="s", chunk=1, changes=[change()])
    assert encode(push) == encode(push)
