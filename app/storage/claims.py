"""Medical claims (就医结算) and their settlement on a Workspace.

Reached as `workspace.claims`. Every write goes through the Workspace's Tracker inside one
transaction and is audited.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.storage.workspace import Workspace


class ClaimsRepo:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
