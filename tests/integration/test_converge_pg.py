"""The stateful convergence test of tests/unit/sync/test_converge.py against the real county: the
same three clinic PCs, the same rules (households, residents, edits of one field on several PCs,
visits corrected on two PCs), the same end state, with the county's store on PostgreSQL
(app.server.store: chunks merged in bulk, conflicts and forks recorded there, pulls paged by
transaction) instead of the in-memory county. A fresh county database per example.
"""

from __future__ import annotations

import uuid
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from app.server import db
from app.server.store import Store
from app.storage.changes import APPLY_ORDER
from app.sync.merge import Held
from tests import pgserver
from tests.unit.sync.memory_county import MemoryCounty
from tests.unit.sync.test_converge import ConvergingClinics


class PgCounty(Store):
    """The county store, with the views of its contents the state machine checks."""

    def __init__(self, cluster: pgserver.PgCluster, template: str) -> None:
        self.cluster, self.name = cluster, f"converge_{uuid.uuid4().hex[:10]}"
        super().__init__(db.connect(cluster.create_database(self.name, template=template),
                                    autocommit=True))

    def close(self) -> None:
        self.conn.close()
        self.cluster.drop_database(self.name)

    def issue_code(self, scope: str, station: int | None = None, *, days: int = 7) -> str:
        return super().issue_code(scope, station, days=days)

    @property
    def rows(self) -> dict[tuple[str, str], Held]:
        out = {}
        for table in APPLY_ORDER:
            cols = self.columns(table)
            for got in self.conn.execute(f"SELECT {', '.join(cols)} FROM {table}"):
                values = {k: v for k, v in zip(cols, got, strict=True) if k != "txid"}
                out[(table, str(values["id"]))] = Held(
                    values, (str(values["version_instance"]), int(values["version_counter"])),
                    int(values["server_seq"]))
        return out

    def versions_of(self, key: tuple[str, str]) -> list[dict[str, Any]]:
        return [dict(r[0]) for r in self.conn.execute(
            "SELECT data FROM row_versions WHERE table_name = %s AND row_id = %s ORDER BY server_seq",
            key)]

    @property
    def conflicts(self) -> list[Any]:
        class Lost:
            def __init__(self, table: str, row_id: str, field: str, lost: Any) -> None:
                self.table, self.id, self.field, self.lost = table, row_id, field, lost

        return [Lost(*r) for r in self.conn.execute(
            "SELECT table_name, row_id, field, b_value FROM conflicts WHERE kind = 'field'")]

    _in_scope = staticmethod(MemoryCounty._in_scope)


def test_any_interleaving_converges_on_the_real_county(pg_cluster: pgserver.PgCluster,
                                                      county_template: str) -> None:
    counties: list[PgCounty] = []

    class OnPostgres(ConvergingClinics):
        def __init__(self) -> None:
            super().__init__()
            counties.append(PgCounty(pg_cluster, county_template))

        def new_county(self) -> Any:
            return counties[-1]

        def teardown(self) -> None:
            try:
                super().teardown()
            finally:
                counties.pop().close()

    run_state_machine_as_test(OnPostgres, settings=settings(
        max_examples=5, stateful_step_count=20, deadline=None, database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
