"""Signing in under attack: wrong passwords slow down, then lock; typed secrets never logged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.core import sign_in
from app.core.errors import AuthError, SignInWaitError
from app.storage.workspace import Workspace
from tests.conftest import VILLAGE

T0 = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)


class Clock:
    """A settable clock, so a test waits without sleeping."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


def _open(path: Path, clock: Clock) -> Workspace:
    ws = Workspace.open(path)
    ws.clock = clock
    return ws


@pytest.fixture
def clinic(db_path: Path) -> Path:
    with Workspace.create(db_path, clinic_name="红旗村卫生室", division_code=VILLAGE,
                          division_name="红旗村") as ws:
        ws.users.add_first("admin", "乡镇管理员", "township_admin", "secret1")
        ws.users.authenticate("admin", "secret1")
        ws.users.add("doc", "李医生", "village_doctor", "right-pass")
    return db_path


def _fail(ws: Workspace, times: int, clock: Clock) -> None:
    """Type a wrong password `times` times, waiting out each delay as a patient attacker would."""
    for _ in range(times):
        try:
            ws.users.authenticate("doc", "wrong-pass")
        except SignInWaitError as exc:
            if exc.locked:
                return
            clock.advance(exc.seconds)
        except AuthError:
            pass


def test_after_free_tries_the_right_password_must_wait(clinic: Path) -> None:
    clock = Clock()
    with _open(clinic, clock) as ws:
        _fail(ws, sign_in.FREE_TRIES - 1, clock)
        with pytest.raises(SignInWaitError) as caught:
            ws.users.authenticate("doc", "wrong-pass")                  # the fifth: a wait begins
        assert caught.value.seconds == 1 and not caught.value.locked
        with pytest.raises(SignInWaitError):
            ws.users.authenticate("doc", "right-pass")                  # not even checked yet
        clock.advance(1)
        assert ws.users.authenticate("doc", "right-pass").username == "doc"
        ws.user = "system"
        _fail(ws, 1, clock)                                       # success reset the count
        assert ws.users.authenticate("doc", "right-pass").username == "doc"


def test_the_delay_doubles(clinic: Path) -> None:
    assert [sign_in.delay_after(n) for n in range(4, 10)] == [0, 1, 2, 4, 8, 16]


def test_ten_failures_lock_even_the_right_password_until_an_admin_unlocks(clinic: Path) -> None:
    clock = Clock()
    with _open(clinic, clock) as ws:
        _fail(ws, 200, clock)
        clock.advance(60)
        with pytest.raises(SignInWaitError) as caught:
            ws.users.authenticate("doc", "right-pass")
        assert caught.value.locked and "管理员" in str(caught.value)
        doc = next(u for u in ws.users.list() if u.username == "doc")
        assert ws.users.locked() == {doc.id}
        ws.users.authenticate("admin", "secret1")
        ws.users.unlock(doc.id)
        assert ws.users.locked() == set()
        assert ws.users.authenticate("doc", "right-pass").username == "doc"
        actions = [r[0] for r in ws.conn.execute("SELECT action FROM audit_log ORDER BY seq")]
        assert actions.count("sign_in_failed") == sign_in.LOCK_AFTER
        assert "sign_in_locked" in actions and "unlock_user" in actions


def test_a_village_doctor_cannot_unlock_an_admin(clinic: Path) -> None:
    clock = Clock()
    with _open(clinic, clock) as ws:
        for _ in range(sign_in.LOCK_AFTER + 5):
            try:
                ws.users.authenticate("admin", "wrong-pass")
            except SignInWaitError as exc:
                clock.advance(exc.seconds if not exc.locked else 0)
            except AuthError:
                pass
        ws.users.authenticate("doc", "right-pass")
        admin = next(u for u in ws.users.list() if u.username == "admin")
        with pytest.raises(AuthError):
            ws.users.unlock(admin.id)
        assert ws.users.locked() == {admin.id}


def test_the_lock_lifts_by_itself_after_its_time(clinic: Path) -> None:
    clock = Clock()
    with _open(clinic, clock) as ws:
        _fail(ws, sign_in.LOCK_AFTER, clock)
        clock.advance(sign_in.LOCK_MINUTES * 60 - 5)
        with pytest.raises(SignInWaitError):
            ws.users.authenticate("doc", "right-pass")
        clock.advance(5)
        assert ws.users.authenticate("doc", "right-pass").username == "doc"


def test_the_count_survives_reopening_the_database(clinic: Path) -> None:
    clock = Clock()
    with _open(clinic, clock) as ws:
        _fail(ws, sign_in.LOCK_AFTER, clock)
    with _open(clinic, clock) as ws, pytest.raises(SignInWaitError) as caught:
        ws.users.authenticate("doc", "right-pass")
    assert caught.value.locked


def test_an_admin_password_reset_clears_the_lock(clinic: Path) -> None:
    clock = Clock()
    with _open(clinic, clock) as ws:
        _fail(ws, sign_in.LOCK_AFTER, clock)
        ws.users.authenticate("admin", "secret1")
        doc = next(u for u in ws.users.list() if u.username == "doc")
        ws.users.update(doc.id, password="fresh-pass")
        assert ws.users.authenticate("doc", "fresh-pass").username == "doc"


def test_the_audit_log_never_holds_what_was_typed(clinic: Path) -> None:
    clock = Clock()
    secret = "Mima-2026-xyz"
    with _open(clinic, clock) as ws:
        for name in (secret, f" {secret} ", "nobody"):             # a password in the name box
            with pytest.raises(AuthError):
                ws.users.authenticate(name, secret)
        with pytest.raises(AuthError):
            ws.users.authenticate("doc", secret)
        rows = [tuple(r) for r in ws.conn.execute("SELECT * FROM audit_log")]
    text = repr(rows)
    assert secret not in text and "nobody" not in text and secret.lower() not in text.lower()
    assert sum("sign_in_unknown_user" in r for r in rows) == 3
    assert any("sign_in_failed" in r and "doc #1" in r for r in rows)
    files = [clinic, Path(f"{clinic}-wal")]
    assert all(secret.encode() not in f.read_bytes() for f in files if f.exists())
