"""`cunyi conflicts merge`: a possible duplicate person from the county, settled from a terminal."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from app.core import chains
from app.core.followups import FollowUp
from app.core.households import Household
from app.core.people import Diagnosis, Person
from app.storage.workspace import Workspace
from tests.conftest import make_id
from tests.e2e.test_cli_people import ok, one_line, workspace
from tests.faults.cli import VILLAGE, digest, init, run

SHARED = make_id("19900909", "998")
TODAY = dt.date(2026, 3, 20)


@pytest.fixture
def home(tmp_path: Path) -> tuple[Path, str, str]:
    """A clinic holding 李小红 twice (the county's conflict 41 names both files); the second file
    has a visit."""
    h = tmp_path / "home"
    init(h)
    with workspace(h) as ws:
        ids = []
        for n in (1, 2):
            hid, _ = ws.households.add(Household(None, VILLAGE, household_no=f"H00{n}"))
            pid, _ = ws.people.add(Person(None, hid, "李小红", relation="户主", id_no=SHARED if n == 1 else ""))
            ids.append(str(pid))
        with ws.transaction():
            ws.tracker.update("people", ids[1], {"id_no": SHARED})     # as the other PC's file arrives
            ws.sync.put_conflict(_note(ws, *sorted(ids)))
        ws.people.add_diagnosis(Diagnosis(None, ids[1], "高血压"))
        ws.care.add_followup(FollowUp(None, ids[1], "高血压", TODAY, sbp=130, dbp=80), today=TODAY)
    return h, ids[0], ids[1]


def _note(ws: Workspace, a: str, b: str) -> dict:
    return {"id": 41, "server_seq": 9, "kind": chains.DUPLICATE_PERSON, "table": "people", "row_id": a,
            "other_row_id": b, "field": None, "partition": VILLAGE, "kept": None, "lost": None,
            "created_at": "2026-03-01T00:00:00Z"}


def test_a_duplicate_is_listed_with_both_files_and_merged_by_the_number_kept(home) -> None:
    h, first, second = home
    text = ok(run(h, "conflicts"))
    assert "[41] 疑似重复居民" in text and "随访 1 次" in text and "cunyi conflicts merge" in text
    [line] = json.loads(ok(run(h, "conflicts", "--json")))
    assert {p["id"] for p in line["people"]} == {first, second}
    assert line["other_record"] in (first, second)
    kept = next(p for p in line["people"] if p["id"] == first)

    done = json.loads(ok(run(h, "conflicts", "merge", "41", "--keep", kept["record_no"], "--json")))
    assert (done["kept"], done["merged"]) == (first, second)
    assert done["moved"] == {"diagnoses": 1, "follow_ups": 1}
    assert json.loads(ok(run(h, "conflicts", "--json"))) == []
    with workspace(h) as ws:
        assert [f.person_id for f in ws.care.followups(first)] == [first]
        assert ws.sync.unsent_resolutions()[0][:2] == (41, "kept" if first < second else "lost")


def test_a_number_that_is_not_one_of_the_two_or_a_second_merge_is_one_line_and_writes_nothing(home) -> None:
    h, first, _second = home
    before = digest(h / "cunyi.sqlite3")
    one_line(run(h, "conflicts", "merge", "41", "--keep", "62292310420199999"), "不是冲突 41 中的两份档案之一")
    one_line(run(h, "conflicts", "merge", "7", "--keep", first), "没有编号为 7 的冲突")
    assert digest(h / "cunyi.sqlite3") == before
    ok(run(h, "conflicts", "merge", "41", "--keep", first))
    one_line(run(h, "conflicts", "merge", "41", "--keep", first), "已经处理过了")
