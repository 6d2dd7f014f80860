"""What the county database holds: rows per synced table per village (partition)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.server.db import COUNTY_TABLES, Connection
from app.server.migrations import check_current


@dataclass
class Count:
    rows: int           # every row stored, tombstones included
    deleted: int        # the tombstones among them


@dataclass
class Status:
    schema_version: int
    # table -> partition -> counts; every synced table is listed, an empty one with no partitions
    tables: dict[str, dict[str, Count]] = field(default_factory=dict)
    versions: int = 0           # versions accepted (row_versions)
    devices: int = 0            # enrolled and not revoked
    open_conflicts: int = 0

    def partitions(self) -> list[str]:
        return sorted({p for counts in self.tables.values() for p in counts})

    def as_json(self) -> dict[str, Any]:
        return {
            "schema_version": self.schema_version,
            "tables": {t: {p: {"rows": c.rows, "deleted": c.deleted} for p, c in sorted(parts.items())}
                       for t, parts in self.tables.items()},
            "versions": self.versions,
            "devices": self.devices,
            "open_conflicts": self.open_conflicts,
        }


# One statement, one snapshot: every table's counts are of the same moment.
_COUNTS = " UNION ALL ".join(
    f"SELECT '{t}', partition, count(*), count(*) FILTER (WHERE deleted <> 0) FROM {t} GROUP BY partition"
    for t in COUNTY_TABLES)


def read_status(conn: Connection) -> Status:
    """The counts, read in one repeatable-read snapshot; refused unless the schema is current."""
    version = check_current(conn)
    with conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        status = Status(version, {t: {} for t in COUNTY_TABLES})
        for table, partition, rows, deleted in conn.execute(_COUNTS).fetchall():
            status.tables[table][partition] = Count(int(rows), int(deleted))
        row = conn.execute(
            "SELECT (SELECT count(*) FROM row_versions),"
            " (SELECT count(*) FROM instances WHERE revoked_at IS NULL),"
            " (SELECT count(*) FROM conflicts WHERE resolved_at IS NULL)").fetchone()
        if row:
            status.versions, status.devices, status.open_conflicts = (int(v) for v in row)
    return status
