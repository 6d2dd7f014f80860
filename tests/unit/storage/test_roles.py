"""Roles enforced by the Workspace: a village doctor cannot manage accounts above their own."""

from __future__ import annotations

import pytest

from app.core.errors import AuthError, ConflictError
from app.core.users import User
from app.storage.workspace import Workspace


def _clinic(ws: Workspace) -> dict[str, User]:
    """A county admin, a township admin and two doctors, added by the first (signed-in) admin."""
    county = ws.users.add_first("county", "县管理员", "county_admin", "secret1")
    ws.users.authenticate("county", "secret1")
    users = {
        "county": county,
        "township": ws.users.add("township", "乡镇管理员", "township_admin", "secret1"),
        "doc": ws.users.add("doc", "李医生", "village_doctor", "secret1"),
        "doc2": ws.users.add("doc2", "王医生", "village_doctor", "secret1"),
    }
    return users


def _row(ws: Workspace, user_id: str) -> tuple[str, int, str]:
    r = ws.conn.execute("SELECT role, active, password_hash FROM users WHERE id = ?",
                        (user_id,)).fetchone()
    return r[0], r[1], r[2]


def test_a_village_doctor_cannot_promote_themselves(workspace: Workspace) -> None:
    u = _clinic(workspace)
    workspace.users.authenticate("doc", "secret1")
    for role in ("county_admin", "township_admin"):
        with pytest.raises(AuthError):
            workspace.users.update(u["doc"].id, role=role)
    assert _row(workspace, u["doc"].id)[0] == "village_doctor"


def test_a_village_doctor_cannot_reset_disable_or_demote_an_administrator(workspace: Workspace) -> None:
    u = _clinic(workspace)
    before = _row(workspace, u["county"].id)
    workspace.users.authenticate("doc", "secret1")
    for change in ({"password": "hijacked1"}, {"active": False}, {"role": "village_doctor"},
                   {"display_name": "冒名"}):
        with pytest.raises(AuthError):
            workspace.users.update(u["county"].id, **change)  # type: ignore[arg-type]
    assert _row(workspace, u["county"].id) == before
    with pytest.raises(AuthError):
        workspace.users.authenticate("county", "hijacked1")


def test_a_village_doctor_cannot_add_users_or_manage_a_colleague_when_there_is_an_admin(
        workspace: Workspace) -> None:
    u = _clinic(workspace)
    workspace.users.authenticate("doc", "secret1")
    for role in ("village_doctor", "township_admin", "county_admin"):
        with pytest.raises(AuthError):
            workspace.users.add(f"new_{role}", "新人", role, "secret1")
    with pytest.raises(AuthError):
        workspace.users.update(u["doc2"].id, active=False)
    with pytest.raises(AuthError):
        workspace.users.update(u["doc2"].id, password="another1")
    assert sorted(x.username for x in workspace.users.list()) == ["county", "doc", "doc2", "township"]


def test_a_village_doctor_may_change_their_own_password(workspace: Workspace) -> None:
    u = _clinic(workspace)
    workspace.users.authenticate("doc", "secret1")
    workspace.users.update(u["doc"].id, password="newsecret")
    assert workspace.users.authenticate("doc", "newsecret").username == "doc"


def test_nobody_disables_themselves(workspace: Workspace) -> None:
    u = _clinic(workspace)
    for name in ("doc", "township"):
        workspace.users.authenticate(name, "secret1")
        with pytest.raises(AuthError, match="自己"):
            workspace.users.update(u[name].id, active=False)
        assert _row(workspace, u[name].id)[1] == 1


def test_a_township_admin_cannot_grant_or_touch_the_county_role(workspace: Workspace) -> None:
    u = _clinic(workspace)
    workspace.users.authenticate("township", "secret1")
    with pytest.raises(AuthError):
        workspace.users.update(u["doc"].id, role="county_admin")
    with pytest.raises(AuthError):
        workspace.users.update(u["county"].id, active=False)
    with pytest.raises(AuthError):
        workspace.users.add("boss", "新县管理员", "county_admin", "secret1")
    workspace.users.update(u["doc"].id, role="township_admin")          # up to their own rank
    workspace.users.update(u["doc2"].id, active=False)
    assert _row(workspace, u["doc"].id)[0] == "township_admin"
    assert _row(workspace, u["doc2"].id)[1] == 0


def test_the_last_active_administrator_cannot_be_disabled_or_demoted(workspace: Workspace) -> None:
    u = _clinic(workspace)
    workspace.users.update(u["township"].id, active=False)               # by the county admin
    with pytest.raises(ConflictError, match="最后一个"):
        workspace.users.update(u["county"].id, role="village_doctor")     # stepping down alone
    with pytest.raises(AuthError, match="停用自己"):
        workspace.users.update(u["county"].id, active=False)              # nor leaving
    workspace.user = "system"                     # nobody signed in: no user is changed at all
    with pytest.raises(AuthError, match="登录"):
        workspace.users.update(u["county"].id, active=False)
    assert _row(workspace, u["county"].id)[:2] == ("county_admin", 1)


def test_an_admin_may_step_down_when_another_remains(workspace: Workspace) -> None:
    u = _clinic(workspace)
    workspace.users.update(u["county"].id, role="township_admin")
    assert _row(workspace, u["county"].id)[0] == "township_admin"


def test_a_doctor_alone_in_a_clinic_without_admin_manages_doctors_only(workspace: Workspace) -> None:
    first = workspace.users.add_first("doc", "李医生", "village_doctor", "secret1")  # cunyi init's default
    workspace.users.authenticate("doc", "secret1")
    colleague = workspace.users.add("doc2", "王医生", "village_doctor", "secret1")
    workspace.users.update(colleague.id, password="another1")
    with pytest.raises(AuthError):
        workspace.users.add("boss", "管理员", "township_admin", "secret1")
    with pytest.raises(AuthError):
        workspace.users.update(first.id, role="county_admin")


def test_refusals_leave_no_audit_entry_and_changes_do(workspace: Workspace) -> None:
    u = _clinic(workspace)
    workspace.users.authenticate("doc", "secret1")
    count = workspace.conn.execute(
        "SELECT count(*) FROM audit_log WHERE action = 'update_user'").fetchone()[0]
    with pytest.raises(AuthError):
        workspace.users.update(u["county"].id, active=False)
    assert workspace.conn.execute(
        "SELECT count(*) FROM audit_log WHERE action = 'update_user'").fetchone()[0] == count
