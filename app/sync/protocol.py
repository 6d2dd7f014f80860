"""The sync protocol: the messages a clinic and the county exchange, over HTTP or in a USB bundle.

Every message carries `protocol`; a peer refuses a message from a newer protocol with a message
that says to upgrade, and reads older ones it still understands. Messages are validated on both
sides (pydantic, unknown fields refused) before anything is applied.

A change travels as (table, id, version, base, values): `base` is the county's sequence number
of the version the change was made on (None: the clinic never had a county version, and `values`
is then the whole row); otherwise `values` holds only the fields changed since that base. A push
is cut into chunks of a few hundred changes, each merged and acknowledged on its own, so a cut
connection costs at most one chunk and a retry is harmless: the county decides per record
whether it has applied a version already.

Bodies are JSON compressed with gzip (zlib). Why gzip: it is in the standard library of every
Python the clinic and the server run (nothing to add to the frozen clinic app), HTTP names it in
`Content-Encoding`, and on these rows, which repeat column names and codes, it comes within a few
per cent of zstd at level 6. The benchmark measures the bytes against gzip -9 of the same rows.
"""

from __future__ import annotations

import gzip
import json
import zlib
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

PROTOCOL_VERSION = 1
CODEC = "gzip"
GZIP_LEVEL = 6
CHUNK_SIZE = 500            # changes per pushed chunk, rows per pulled page
MAX_CHUNK = 2_000           # a peer refuses larger chunks
MAX_BODY = 32 * 1024 * 1024  # bytes of a decompressed body

# The synced tables (the storage's SYNCED_TABLES; a test keeps the two lists equal).
TABLES = frozenset({
    "divisions", "households", "poverty_events", "help_persons", "people", "diagnoses",
    "teams", "contracts", "contract_members", "service_deliveries",
    "follow_ups", "referral_results", "general_visits", "health_exams", "exam_returns",
    "claims",
})



def _known_table(name: str) -> str:
    if name not in TABLES:
        raise ValueError(f"不同步的表：{name}")
    return name


Scalar = str | int | float | bool | None
TableName = Annotated[str, AfterValidator(_known_table)]
RowId = Annotated[str, Field(min_length=1, max_length=64)]
Seq = Annotated[int, Field(ge=1)]


class ProtocolError(ValueError):
    """A message that cannot be read: from a newer protocol, malformed, or too large."""


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    protocol: int = PROTOCOL_VERSION


class Version(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    instance: RowId
    counter: Annotated[int, Field(ge=1)]

    def pair(self) -> tuple[str, int]:
        return (self.instance, self.counter)


class Change(BaseModel):
    """One record as this side changed it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    table: TableName
    id: RowId
    version: Version
    base: Seq | None = None
    values: dict[str, Scalar]
    user: Annotated[str, Field(max_length=64)] = ""


class Row(BaseModel):
    """A record as the county holds it: its county sequence number, version and values."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    table: TableName
    id: RowId
    server_seq: Seq
    version: Version
    values: dict[str, Scalar]


Hex = Annotated[str, Field(max_length=512, pattern=r"^[0-9a-f]*$")]


class Enrol(Message):
    """A clinic redeems a one-time code: its new instance, its public key and its division."""

    kind: Literal["enrol"] = "enrol"
    code: Annotated[str, Field(max_length=32)]
    instance: RowId
    public_key: Hex
    division: Annotated[str, Field(min_length=12, max_length=12)]
    schema_version: Annotated[int, Field(ge=1)]
    app_version: Annotated[str, Field(max_length=32)]


class Enrolled(Message):
    """The county's answer: the certificate it signed, its own public key, scope and station."""

    kind: Literal["enrolled"] = "enrolled"
    certificate: Annotated[str, Field(max_length=4096)]
    county_key: Hex
    scope: Annotated[str, Field(min_length=12, max_length=12)]
    station: Annotated[int, Field(ge=1, le=9)]


class Knock(Message):
    """A clinic asks to open a session; the county answers with a one-time nonce to sign."""

    kind: Literal["knock"] = "knock"
    instance: RowId


class Challenge(Message):
    kind: Literal["challenge"] = "challenge"
    session: RowId
    nonce: Hex


class Hello(Message):
    """A clinic opens the session it knocked for: who it is, what it runs, its signature over the
    county's nonce (app.sync.identity.hello_payload)."""

    kind: Literal["hello"] = "hello"
    instance: RowId
    session: RowId
    signature: Hex
    schema_version: Annotated[int, Field(ge=1)]
    app_version: Annotated[str, Field(max_length=32)]


class Welcome(Message):
    kind: Literal["welcome"] = "welcome"
    session: RowId
    scope: Annotated[str, Field(min_length=9, max_length=12)]
    station: Annotated[int, Field(ge=1, le=9)]
    pushed_chunks: list[Annotated[int, Field(ge=0)]] = []   # chunks of this session already merged


class Push(Message):
    kind: Literal["push"] = "push"
    session: RowId
    chunk: Annotated[int, Field(ge=0)]
    changes: Annotated[list[Change], Field(max_length=MAX_CHUNK)]


Outcome = Literal["inserted", "applied", "merged", "unchanged", "known", "refused"]


class Ack(BaseModel):
    """The county's answer for one pushed change. `row` is the county's record when it differs
    from what the clinic sent (a merge, or a conflict the county's value won)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    table: TableName
    id: RowId
    version: Version
    outcome: Outcome
    server_seq: Seq | None
    row: Row | None = None
    conflicts: Annotated[int, Field(ge=0)] = 0
    reason: Annotated[str, Field(max_length=200)] = ""     # why a change was refused, in Chinese


class PushReply(Message):
    kind: Literal["push_reply"] = "push_reply"
    session: RowId
    chunk: Annotated[int, Field(ge=0)]
    acks: list[Ack]


Cursor = Annotated[str, Field(max_length=64)]


class Pull(Message):
    """Rows after `cursor` (as the county's last reply gave it; "" for the beginning)."""

    kind: Literal["pull"] = "pull"
    session: RowId
    cursor: Cursor = ""
    limit: Annotated[int, Field(ge=1, le=MAX_CHUNK)] = CHUNK_SIZE


class Left(BaseModel):
    """A record that left the clinic's scope (its household moved to another village)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    table: TableName
    id: RowId
    server_seq: Seq
    partition: str


class ConflictNote(BaseModel):
    """A field the county kept its own value for while another side's value was set aside, as
    the clinics of its village see it: both values and versions, who wrote each, and how (and
    whether) it was resolved. `id` is the county's number for it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Seq
    server_seq: Seq
    kind: Annotated[str, Field(max_length=32)]
    table: TableName
    row_id: RowId
    other_row_id: RowId | None = None        # the second record of a fork or a breach
    field: Annotated[str, Field(max_length=64)] | None
    partition: Annotated[str, Field(max_length=12)]
    kept: Scalar
    lost: Scalar
    kept_version: Version | None
    lost_version: Version | None
    kept_user: Annotated[str, Field(max_length=64)] = ""
    lost_user: Annotated[str, Field(max_length=64)] = ""
    created_at: Annotated[str, Field(max_length=40)]          # for display only
    resolution: Annotated[str, Field(max_length=32)] | None = None
    resolved_by: Annotated[str, Field(max_length=128)] = ""


class Resolution(BaseModel):
    """How someone at a clinic resolved a conflict: the value the record keeps from now on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Seq
    choice: Literal["kept", "lost", "value"]
    user: Annotated[str, Field(max_length=64)] = ""


class Resolve(Message):
    kind: Literal["resolve"] = "resolve"
    session: RowId
    resolutions: Annotated[list[Resolution], Field(max_length=MAX_CHUNK)]


class ResolveReply(Message):
    kind: Literal["resolve_reply"] = "resolve_reply"
    session: RowId
    conflicts: list[ConflictNote]


class PullReply(Message):
    kind: Literal["pull_reply"] = "pull_reply"
    session: RowId
    rows: list[Row]
    conflicts: list[ConflictNote] = []
    left: list[Left] = []
    cursor: Cursor                              # where the next pull starts (opaque to the clinic)
    more: bool


ConfigKind = Literal["service_package", "policy_pack", "setting"]
MAX_CONFIG_BODY = 256 * 1024     # characters of one configuration item's JSON text


class ConfigItem(BaseModel):
    """One piece of configuration the county publishes for the clinics of `scope` (a county,
    township or village code): a service package, a policy pack or a rule setting. `body` is
    its canonical JSON text; `signature` is the county key's over app.sync.config.item_payload.
    A withdrawn item says so with a new, higher version."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Seq
    kind: ConfigKind
    key: Annotated[str, Field(min_length=1, max_length=128)]
    scope: Annotated[str, Field(pattern=r"^[0-9]{12}$")]
    version: Seq
    body: Annotated[str, Field(max_length=MAX_CONFIG_BODY)]
    published_at: Annotated[str, Field(max_length=40)]
    withdrawn: bool = False
    signature: Hex


class ConfigPull(Message):
    """Configuration for this session's clinic published or withdrawn after version `after`."""

    kind: Literal["config_pull"] = "config_pull"
    session: RowId
    after: Annotated[int, Field(ge=0)] = 0


class ConfigReply(Message):
    kind: Literal["config_reply"] = "config_reply"
    session: RowId
    items: Annotated[list[ConfigItem], Field(max_length=MAX_CHUNK)]
    latest: Annotated[int, Field(ge=0)]          # the highest version the county has for this clinic


RefusalCode = Literal["upgrade", "revoked", "scope", "auth", "bad_request", "busy"]


class Refusal(Message):
    """Why the peer will not go on, in words for the person at the PC."""

    kind: Literal["refusal"] = "refusal"
    code: RefusalCode
    message: str


M = TypeVar("M", bound=Message)


def encode(message: Message) -> bytes:
    """The message as a compressed body. Fields left at their defaults are not written (an
    acknowledgement without a row, a reason or conflicts is a few bytes), except the protocol
    version and the kind, which every message names."""
    data = message.model_dump(mode="json", exclude_defaults=True)
    data = {"protocol": message.protocol, "kind": getattr(message, "kind", None), **data}
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return gzip.compress(raw, compresslevel=GZIP_LEVEL, mtime=0)


def decode(kind: type[M], body: bytes) -> M:
    """Read a compressed body as a message of `kind`; ProtocolError says what is wrong, in Chinese."""
    try:
        raw = _inflate(body)
        obj: Any = json.loads(raw)
    except (OSError, EOFError, ValueError, zlib.error) as exc:
        raise ProtocolError(f"同步数据无法读取（已损坏或不完整）：{exc}") from None
    check_version(obj)
    try:
        return kind.model_validate(obj)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise ProtocolError(f"同步数据格式不对（{where}：{first.get('msg')}）") from None


def check_version(obj: Any) -> None:
    """Refuse a message from a newer protocol before reading anything else of it."""
    version = obj.get("protocol") if isinstance(obj, dict) else None
    if not isinstance(version, int) or version < 1:
        raise ProtocolError("同步数据没有协议版本")
    if version > PROTOCOL_VERSION:
        raise ProtocolError(f"对方使用更新的同步协议（第 {version} 版，本程序为第 {PROTOCOL_VERSION} 版），"
                            "请升级村医后再同步")


def _inflate(body: bytes) -> bytes:
    """Decompress at most MAX_BODY bytes (a small body must not inflate without bound)."""
    d = zlib.decompressobj(wbits=31)
    out = d.decompress(body, MAX_BODY + 1)
    if len(out) > MAX_BODY or d.unconsumed_tail:
        raise ValueError(f"解压后超过 {MAX_BODY // (1024 * 1024)} MB")
    if not d.eof:
        raise EOFError("压缩数据不完整")
    return out
