"""Any interleaving of edits and syncs on three clinic PCs ends converged, and nothing typed is lost.

Two PCs of one village (stations 1 and 2) and one PC of the next village sync through a county
kept in memory that decides with the real merge rules. Hypothesis picks the steps: new households
and residents, edits of the same fields on several PCs, follow-ups and corrections of the same
visit on two PCs (a fork), and syncs in any order. At the end every PC syncs until quiet; then
each PC holds exactly the county's rows of its village and its ancestors, and every value anyone
typed is either in a version the county accepted or set aside as a conflict.
"""

from __future__ import annotations

import datetime as dt
import itertools
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from app.core.followups import FollowUp
from app.core.households import Household
from app.core.people import Diagnosis, Person
from app.storage.changes import APPLY_ORDER
from app.storage.workspace import Workspace
from app.sync import session
from app.sync.enrol import enrol
from app.sync.merge import META
from tests.conftest import VILLAGE, make_id
from tests.unit.sync.memory_county import MemoryCounty

NEXT_VILLAGE = "622923104202"
TODAY = dt.date(2026, 3, 20)
_ids = itertools.count(100)


class Clinics(RuleBasedStateMachine):
    """Three PCs, the county, and what each person typed."""

    @initialize()
    def setup(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="converge-"))
        self.county = self.new_county()
        self.pcs: list[Workspace] = []
        for name, village, station in (("a1", VILLAGE, 1), ("a2", VILLAGE, 2),
                                       ("b1", NEXT_VILLAGE, 1)):
            ws = Workspace.create(self.tmp / f"{name}.sqlite3", clinic_name=f"{name}卫生室",
                                  division_code=village, division_name=f"村{name}", station=station)
            enrol(ws, self.county, self.county.issue_code(village, station))
            self.pcs.append(ws)
        # What was typed: table, id, field, value. A value a PC replaced itself before it synced
        # never left that PC and need not arrive; the last one it typed must.
        self.typed: list[tuple[str, str, str, Any]] = []
        self.unsent: list[dict[tuple[str, str, str], Any]] = [{}, {}, {}]

    def new_county(self) -> Any:
        """The county the PCs sync with (tests/integration/test_converge_pg.py: the real one)."""
        return MemoryCounty()

    def teardown(self) -> None:
        for ws in getattr(self, "pcs", []):
            ws.close()

    def _people(self, ws: Workspace) -> list[str]:
        return [r[0] for r in ws.conn.execute(
            "SELECT id FROM people WHERE deleted = 0 ORDER BY id")]

    @rule(pc=st.integers(0, 2))
    def add_household(self, pc: int) -> None:
        ws = self.pcs[pc]
        village = ws.settings.division_code
        hid, _ = ws.households.add(Household(None, village, group_name="一组"))
        n = next(_ids)
        pid, _ = ws.people.add(Person(None, hid, f"居民{n}", id_no=make_id("19600101", f"{n:03d}"),
                                      relation="户主"), today=TODAY)
        ws.people.add_diagnosis(Diagnosis(None, pid, "高血压", confirmed_on=dt.date(2020, 1, 1)),
                                today=TODAY)

    @rule(pc=st.integers(0, 2), pick=st.integers(0, 50), value=st.sampled_from(["甲", "乙", "丙"]),
          field=st.sampled_from(["phone", "note"]))
    def edit_person(self, pc: int, pick: int, value: str, field: str) -> None:
        ws = self.pcs[pc]
        people = self._people(ws)
        if not people:
            return
        p = ws.people.get(people[pick % len(people)])
        setattr(p, field, f"1390000000{len(value)}" if field == "phone" and value == "甲" else
                ("13911112222" if field == "phone" else value))
        try:
            ws.people.update(p)
        except Exception as exc:          # another village's resident: refused by scope
            assert "村" in str(exc) or "范围" in str(exc) or "乡镇" in str(exc), exc
            return
        self.unsent[pc][("people", str(p.id), field)] = getattr(p, field)

    @rule(pc=st.integers(0, 2), pick=st.integers(0, 50), sbp=st.integers(110, 170))
    def visit_or_correct(self, pc: int, pick: int, sbp: int) -> None:
        ws = self.pcs[pc]
        people = [p for p in self._people(ws)
                  if ws.conn.execute("SELECT partition FROM people WHERE id = ?", (p,)).fetchone()[0]
                  == ws.settings.division_code]
        if not people:
            return
        pid = people[pick % len(people)]
        visits = ws.care.followups(pid)
        if visits and pick % 2:
            new = visits[0]
            new.sbp = sbp
            ws.care.correct_followup(str(new.id), new, today=TODAY)
        else:
            ws.care.add_followup(FollowUp(id=None, person_id=pid, kind="高血压",
                                          visit_date=TODAY - dt.timedelta(days=pick % 20),
                                          sbp=sbp, dbp=80), today=TODAY)

    @rule(pc=st.integers(0, 2))
    def sync(self, pc: int) -> None:
        session.sync(self.pcs[pc], self.county, chunk=7)
        self._sent(pc)

    def _sent(self, pc: int) -> None:
        self.typed.extend((*key, value) for key, value in self.unsent[pc].items())
        self.unsent[pc].clear()

    @invariant()
    def nothing_is_lost_in_the_county(self) -> None:
        kept = {(k[0], k[1]) for k in self.county.rows}
        for ws in self.pcs:
            for table, row_id in ws.conn.execute(
                    "SELECT table_name, row_id FROM outbox WHERE state = 'synced'"):
                assert (table, row_id) in kept

    def converged(self) -> None:
        for _ in range(2):
            for pc in range(len(self.pcs)):
                self.sync(pc)
        for ws in self.pcs:
            assert ws.sync.unsynced() == 0
            mine = {(t, r["id"]): (_data(dict(r)), (r["version_instance"], r["version_counter"]),
                                   r["server_seq"])
                    for t in APPLY_ORDER for r in ws.conn.execute(f"SELECT * FROM {t}")}
            theirs = {k: (_data(dict(h.values)), h.version, h.server_seq)
                      for k, h in self.county.rows.items()
                      if self.county._in_scope(str(h.values.get("partition", "")),
                                               ws.settings.division_code)}
            assert mine == theirs
        accepted = {(key[0], key[1], f, v) for key in self.county.rows
                    for values in self.county.versions_of(key) for f, v in values.items()}
        lost = {(c.table, c.id, c.field, c.lost) for c in self.county.conflicts}
        for typed in self.typed:
            assert typed in accepted or typed in lost, typed


def _data(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in META}


class ConvergingClinics(Clinics):
    def teardown(self) -> None:
        try:
            self.converged()
        finally:
            super().teardown()


ConvergingClinics.TestCase.settings = settings(
    max_examples=15, stateful_step_count=20, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
test_any_interleaving_converges = ConvergingClinics.TestCase
