"""Who the command-line tests sign in as: the user their `cunyi init` made, or the demo user."""

from __future__ import annotations

from app.storage.demo import DEMO_USER

INIT_USER = ("doctor", "secret1")       # `cunyi init --user doctor --password secret1`
DEMO = DEMO_USER                         # the user `cunyi demo` makes


def sign_in_env(user: tuple[str, str] | None) -> dict[str, str]:
    """The environment a script signs in with (nothing for None: no credentials at all)."""
    return {} if user is None else {"CUNYI_USER": user[0], "CUNYI_PASSWORD": user[1]}
