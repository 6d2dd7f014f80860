"""Follow-ups, health exams and the 工作台 task list on a Workspace.

Reached as `workspace.care`. Every write goes through the Workspace's Tracker inside one
transaction and is audited.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.storage.workspace import Workspace


class CareRepo:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
