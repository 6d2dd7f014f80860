"""A clinic's sync session: push what changed here, then pull what changed at the county.

The county is anything that answers the protocol's messages (`County`): the HTTP client, a USB
bundle's reader, or, in tests, a county kept in memory. Each pushed chunk and each pulled page is
landed in one transaction, so a session cut off at any moment loses nothing: what was landed
stays, and the next session starts again from the outbox and from the last page pulled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from app import __version__
from app.core.errors import CunyiError
from app.sync.config import check_items
from app.sync.identity import hello_payload, sign
from app.sync.merge import Held, rebase_pull
from app.sync.protocol import (
    CHUNK_SIZE,
    Ack,
    Challenge,
    Change,
    ConfigItem,
    ConfigPull,
    Hello,
    Knock,
    Pull,
    PullReply,
    Push,
    PushReply,
    Resolution,
    Resolve,
    ResolveReply,
    Row,
    Version,
    Welcome,
)

if TYPE_CHECKING:
    from app.storage.workspace import Workspace


class County(Protocol):
    def knock(self, message: Knock) -> Challenge: ...

    def hello(self, message: Hello) -> Welcome: ...

    def push(self, message: Push) -> PushReply: ...

    def pull(self, message: Pull) -> PullReply: ...

    def resolve(self, message: Resolve) -> ResolveReply: ...


class NotEnrolled(CunyiError):
    """This installation has no enrolment the county would accept."""


@dataclass
class Result:
    pushed: int = 0        # changes the county acknowledged
    pulled: int = 0        # county versions landed here
    conflicts: int = 0     # fields the county set aside from this PC's changes
    parked: int = 0        # rows still waiting for a parent that has not arrived
    refused: list[str] = field(default_factory=list)   # why the county refused changes (kept here)
    open_conflicts: int = 0   # conflicts of this PC's village not resolved yet
    config: int = 0        # configuration items the county sent that changed something here


Progress = Callable[[str, int], None]


def sync(ws: Workspace, county: County, *, chunk: int = CHUNK_SIZE,
         progress: Progress | None = None) -> Result:
    """Push, then pull; returns what moved."""
    welcome = open_session(ws, county)
    result = Result()
    push(ws, county, welcome.session, result, chunk=chunk, progress=progress)
    send_resolutions(ws, county, welcome.session)
    pull(ws, county, welcome.session, result, chunk=chunk, progress=progress)
    result.config = pull_config(ws, county, welcome.session)
    result.open_conflicts = len(ws.sync.conflicts())
    ws.sync.note_done()
    return result


def pull_config(ws: Workspace, county: County, session: str) -> int:
    """Ask for the configuration published since the last applied, check every item's signature
    with the county key of the enrolment, and apply the items of this PC's scope together; a
    reply with one bad signature is refused whole. The number of items that changed something."""
    source = getattr(county, "config", None)     # a USB bundle's county sends none yet
    me = ws.sync.identity()
    if source is None or me is None:
        return 0
    items: list[ConfigItem] = []
    after = ws.county_config.after()
    while True:
        reply = source(ConfigPull(session=session, after=after))
        if reply is None:           # a county server from before configuration was sent
            return 0
        check_items(reply.items, me.county_key)
        items += reply.items
        if not reply.items:
            break
        after = max(i.version for i in reply.items)
        if after >= reply.latest:
            break
    return ws.county_config.apply(items, scope=me.scope).changed if items else 0


def send_resolutions(ws: Workspace, county: County, session: str) -> int:
    """Tell the county how conflicts were resolved here; keep its answer."""
    pending = ws.sync.unsent_resolutions()
    if not pending:
        return 0
    reply = county.resolve(Resolve(session=session, resolutions=[
        Resolution(id=i, choice=choice, user=user[:64]) for i, choice, user in pending]))  # type: ignore[arg-type]
    with ws.transaction():
        for note in reply.conflicts:
            ws.sync.put_conflict(note.model_dump())
    return len(reply.conflicts)


def open_session(ws: Workspace, county: County) -> Welcome:
    """Knock, sign the county's nonce with this installation's key, and say hello."""
    from app.storage.migrations import LATEST_VERSION

    me = ws.sync.identity()
    if me is None:
        raise NotEnrolled("本机是从另一台电脑复制来的数据库，须用新的注册码重新注册后才能同步"
                          if ws.sync.enrolled_elsewhere() else
                          "本机尚未在县里注册：请先用县里给的注册码注册（cunyi enroll）")
    challenge = county.knock(Knock(instance=me.instance))
    signature = sign(me.private_key, hello_payload(me.instance, challenge.session, challenge.nonce))
    return county.hello(Hello(instance=me.instance, session=challenge.session,
                              signature=signature.hex(), schema_version=LATEST_VERSION,
                              app_version=__version__))


def change_of(o: Any) -> Change:
    return Change(table=o.table, id=o.id, version=Version(instance=o.version[0], counter=o.version[1]),
                  base=o.base_seq, values=o.values, user=o.user)


def push(ws: Workspace, county: County, session: str, result: Result, *, chunk: int = CHUNK_SIZE,
         progress: Progress | None = None) -> None:
    after, number = 0, 0
    while batch := ws.sync.outgoing(after=after, limit=chunk):
        reply = county.push(Push(session=session, chunk=number,
                                 changes=[change_of(o) for o in batch]))
        with ws.transaction():
            land_acks(ws, reply.acks)
        result.refused += [f"{a.table}/{a.id}：{a.reason}" for a in reply.acks if a.outcome == "refused"]
        result.pushed += sum(a.outcome != "refused" for a in reply.acks)
        result.conflicts += sum(a.conflicts for a in reply.acks)
        after, number = batch[-1].first, number + 1
        if progress:
            progress("push", result.pushed)


def land_acks(ws: Workspace, acks: list[Ack]) -> None:
    """Land a chunk's acknowledgements (inside a transaction): the plain ones, a version
    accepted as sent, table by table in one go; those carrying the county's record one by one."""
    plain: dict[str, list[tuple[str, tuple[str, int], int]]] = {}
    for ack in acks:
        if ack.outcome != "refused" and ack.row is None and ack.server_seq is not None:
            plain.setdefault(ack.table, []).append((ack.id, ack.version.pair(), ack.server_seq))
        else:
            land_ack(ws, ack)
    for table, items in plain.items():
        ws.sync.acknowledge_many(table, items)


def land_ack(ws: Workspace, ack: Ack) -> None:
    """Mark this PC's version accepted; where the county's record differs, land it too."""
    version = ack.version.pair()
    if ack.outcome == "refused":
        return                     # stays unsynced here, and the reason is shown
    if ack.row is None:
        if ack.server_seq is not None:
            ws.sync.acknowledge(ack.table, ack.id, version, ack.server_seq)
        return
    ws.sync.acknowledge(ack.table, ack.id, version, ack.row.server_seq)
    land(ws, ack.row, force=True)


def land(ws: Workspace, row: Row, *, force: bool = False) -> bool:
    """Put a county version under this PC's pending edits (inside a transaction); whether it
    landed (False: parked until its parent arrives, or already held)."""
    values = {**row.values, "id": row.id, "version_instance": row.version.instance,
              "version_counter": row.version.counter, "server_seq": row.server_seq}
    local = ws.sync.local(row.table, row.id)
    decision = rebase_pull(Held(values, row.version.pair(), row.server_seq), local.values,
                           None if force else local.server_seq, local.pending)
    if decision.action == "noop":
        return False
    if ws.sync.missing_parent(row.table, values):
        ws.sync.park(row.table, values)
        return False
    ws.sync.put(row.table, values, pending=decision.pending)
    return True


def land_page(ws: Workspace, rows: list[Row]) -> int:
    """Land a pulled page (inside a transaction), parents' tables first; how many rows landed.

    Rows with nothing pending here are landed table by table in bulk: the versions held, the
    parents present and the writes are a few statements for the lot, and a row whose parent is in
    the same page lands in a later round, after it. Rows this PC has pending edits of go one by one
    through `land`, which rebases the edits on the county's version. A row whose parent is still
    missing is parked, as `land` does.
    """
    from app.storage.changes import APPLY_ORDER

    landed = 0
    by_table: dict[str, list[Row]] = {}
    for row in sorted(rows, key=lambda r: (APPLY_ORDER.index(r.table), r.server_seq)):
        by_table.setdefault(row.table, []).append(row)
    for table, page in by_table.items():
        held, pending = ws.sync.settled(table, [r.id for r in page])
        plain: list[dict[str, Any]] = []
        for row in page:
            if row.id in pending:
                landed += land(ws, row)
            elif row.id not in held or (held[row.id] or 0) < row.server_seq:
                plain.append({**row.values, "id": row.id, "version_instance": row.version.instance,
                              "version_counter": row.version.counter, "server_seq": row.server_seq})
        while plain:
            orphans = ws.sync.orphans(table, plain)
            ready = [v for v in plain if v["id"] not in orphans]
            if not ready:
                for values in plain:
                    ws.sync.park(table, values)
                break
            ws.sync.put_many(table, ready)
            landed += len(ready)
            plain = [v for v in plain if v["id"] in orphans]
    return landed


def pull(ws: Workspace, county: County, session: str, result: Result, *, chunk: int = CHUNK_SIZE,
         progress: Progress | None = None) -> None:
    while True:
        reply = county.pull(Pull(session=session, cursor=ws.sync.pull_cursor(), limit=chunk))
        with ws.transaction():
            result.pulled += land_page(ws, reply.rows)
            result.pulled += _unpark(ws)
            for note in reply.conflicts:
                ws.sync.put_conflict(note.model_dump())
            ws.sync.set_pull_cursor(reply.cursor)
        if progress:
            progress("pull", result.pulled)
        if not reply.more:
            break
    result.parked = len(ws.sync.parked())


def _unpark(ws: Workspace) -> int:
    """Land parked rows whose parents have arrived, until nothing more moves."""
    landed, moved = 0, True
    while moved:
        moved = False
        for table, values in ws.sync.parked():
            if ws.sync.missing_parent(table, values):
                continue
            ws.sync.unpark(table, str(values["id"]))
            row = Row(table=table, id=values["id"], server_seq=values["server_seq"],
                      version=Version(instance=values["version_instance"],
                                      counter=values["version_counter"]),
                      values={k: v for k, v in values.items() if k not in (
                          "id", "version_instance", "version_counter", "server_seq")})
            landed += land(ws, row)
            moved = True
    return landed
