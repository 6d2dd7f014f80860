"""The layering in ARCHITECTURE.md, proved by import-linter's contracts in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_linter_contracts_are_kept():
    exe = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(exe), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_clinic_files_are_opened_through_one_engine() -> None:
    """The standard sqlite3 module cannot read an encrypted clinic file, and its exceptions are not
    the engine's: app code takes `sqlite3` from app.storage.engine, never from the standard library."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "app"
    stray = [str(p.relative_to(root)) for p in root.rglob("*.py")
             if re.search(r"^\s*(import sqlite3\b|from sqlite3 import)", p.read_text(encoding="utf-8"), re.M)]
    assert stray == []


def test_demo_generation_lives_outside_storage() -> None:
    """Demo data is a caller of the storage, not part of it: no demo module under app/storage,
    and `app.demo` still makes the demo database the CLI and the UI offer."""
    from app import demo

    storage = ROOT / "app" / "storage"
    assert sorted(p.name for p in storage.glob("demo*.py")) == []
    assert callable(demo.generate) and demo.DEMO_USER[0] == "demo"


def test_printing_never_reads_the_database() -> None:
    """app.printing takes plain dataclasses: none of its modules imports the storage, not even for
    type hints (the Workspace is read by app.printdata, which hands the forms their data)."""
    import ast

    printing = ROOT / "app" / "printing"
    readers = []
    for path in sorted(printing.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            readers += [f"{path.name}: {n}" for n in names
                        if n.split(".")[:2] in (["app", "storage"], ["app", "printdata"])]
    assert readers == []
