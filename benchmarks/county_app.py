"""The county server's application for uvicorn's `--factory`, so a benchmark can try more workers.

`cunyi-county serve` hands uvicorn the application object itself, which runs one worker process
(uvicorn can fork workers only from an import string). `benchmarks/load.py --workers N` starts

    python -m uvicorn benchmarks.county_app:app --factory --workers N …

with the database URL in CUNYI_COUNTY_DATABASE, to see what more processes would give. The
application is the same `app.server.app.create_app`; nothing of the server is changed.
"""

from __future__ import annotations

from typing import Any


def app() -> Any:
    from app.server import db
    from app.server.app import create_app

    return create_app(db.database_url(None))
