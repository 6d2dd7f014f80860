"""Who the command-line tests sign in as: the user their `cunyi init` made, or the demo user."""

from __future__ import annotations

from pathlib import Path

from app.demo import DEMO_USER

INIT_USER = ("doctor", "secret1")       # `cunyi init --user doctor --password secret1`
DEMO = DEMO_USER                         # the user `cunyi demo` makes


def sign_in_env(user: tuple[str, str] | None) -> dict[str, str]:
    """The environment a script signs in with (nothing for None: no credentials at all)."""
    return {} if user is None else {"CUNYI_USER": user[0], "CUNYI_PASSWORD": user[1]}


def unlocked(path: Path, user: tuple[str, str] = INIT_USER) -> Path:
    """Unlock the key of a database a `cunyi` process made, for this test process; `path` back.

    Only the key file is read (nothing is written to the database), so a test can then open the
    file with `Workspace.open` as another program on the PC would after signing in.
    """
    import datetime as dt

    from app.core.keys import key_id
    from app.storage import engine, keyring
    from app.storage.unlock import unseal

    ring = keyring.load(path)
    if ring is None or any(key_id(s) == ring.key_id for s in engine.unlocked_secrets()):
        return path                        # plain, or unlocked already
    engine.remember(unseal(path, user[0], user[1], dt.datetime.now(dt.UTC)).secret)
    return path
