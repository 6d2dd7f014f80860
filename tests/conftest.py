"""Shared fixtures: a real clinic database in a temporary folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.core.identity import id_check_char
from app.storage.workspace import Workspace

VILLAGE = "622923104201"


def make_id(birth: str = "19650312", seq: str = "001", region: str = "622923") -> str:
    """A valid 18-digit resident ID for a birth date (YYYYMMDD); odd `seq` is male."""
    body = region + birth + seq
    return body + id_check_char(body)


@pytest.fixture(scope="session", autouse=True)
def _device_key_in_a_temporary_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """This PC's device key (app.storage.device) in a folder of the test session, never the
    user's own: CUNYI_DEVICE_DIR is set in the environment, so `cunyi` subprocesses use it too."""
    from app.storage.device import ENV

    saved = os.environ.get(ENV)
    folder = tmp_path_factory.mktemp("device")
    os.environ[ENV] = str(folder)
    yield folder
    if saved is None:
        os.environ.pop(ENV, None)
    else:
        os.environ[ENV] = saved


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "clinic.sqlite3"


@pytest.fixture
def workspace(db_path: Path) -> Iterator[Workspace]:
    ws = Workspace.create(db_path, clinic_name="红旗村卫生室", division_code=VILLAGE,
                          division_name="红旗村")
    yield ws
    ws.close()


@pytest.fixture(autouse=True)
def _unlocked_keys_stay_with_their_test():
    """Keys a test unlocks (or forgets) in this process do not leak into the next test."""
    from app.storage import engine

    kept = engine.unlocked_secrets()
    yield
    engine.forget_all()
    for secret in reversed(kept):
        engine.remember(secret)
