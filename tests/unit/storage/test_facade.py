"""The Workspace's shape: it opens the database and hands out one repo per area, nothing else."""

from __future__ import annotations

import datetime as dt

from app.core.contracts import Team, TeamMember
from app.core.households import Household
from app.core.people import Person
from app.storage.care import CareRepo
from app.storage.claims import ClaimsRepo
from app.storage.contracts import ContractsRepo
from app.storage.county_config import CountyConfigRepo
from app.storage.households import HouseholdsRepo
from app.storage.people import PeopleRepo
from app.storage.record_numbers import RecordNumbersRepo
from app.storage.settings import SettingsRepo
from app.storage.syncing import SyncRepo
from app.storage.users import UsersRepo
from app.storage.workspace import Workspace
from tests.conftest import VILLAGE

REPOS = {"care": CareRepo, "claims": ClaimsRepo, "contracts": ContractsRepo,
         "county_config": CountyConfigRepo,
         "households": HouseholdsRepo, "people": PeopleRepo, "record_numbers": RecordNumbersRepo,
         "settings": SettingsRepo, "sync": SyncRepo, "users": UsersRepo}
OWN = {"open", "create", "sign_in", "recover", "recovery_key", "close", "transaction",
       "instance_id", "station", "unsynced_count", "audit", "user"}


def test_the_workspace_offers_its_own_life_cycle_and_one_repo_per_area() -> None:
    public = {n for n in vars(Workspace) if not n.startswith("_")}
    assert public == OWN | set(REPOS)


def test_each_repo_is_one_object_per_workspace_and_reaches_the_same_database(
        workspace: Workspace) -> None:
    for name, cls in REPOS.items():
        repo = getattr(workspace, name)
        assert isinstance(repo, cls) and getattr(workspace, name) is repo
        assert repo.ws is workspace


def test_a_household_signed_through_the_repos_reads_back_through_them(workspace: Workspace) -> None:
    hid, _ = workspace.households.add(Household(id=None, village_code=VILLAGE, group_name="一组"))
    pid, _ = workspace.people.add(Person(id=None, household_id=hid, name="张三", relation="户主"))
    tid, _ = workspace.contracts.add_team(Team(None, "一队", "", [TeamMember("团队长", "王")]))
    code = workspace.contracts.packages()[0].code
    cid, _ = workspace.contracts.sign(hid, str(tid), [code], dt.date(2025, 3, 1))

    assert workspace.households.get(hid).head_id == pid
    assert [p.name for p in workspace.households.members(hid)] == ["张三"]
    assert workspace.people.by_record_no(workspace.people.get(pid).record_no).id == pid
    assert [c.id for c in workspace.contracts.of_household(hid)] == [cid]
    assert workspace.settings.villages() == [(VILLAGE, "红旗村")]
    assert workspace.settings.division_code == VILLAGE
