"""The benchmark database: a demo township made once per seed and generator version, then reused.

The cache key hashes the generator's sources (app/demo: the villages, their care history,
contracts and claims), the migrations (tables and indexes), the key derivation and key file
format, and the schema version, so a change to any makes a new database. The database is encrypted: its key file `<key>.db.keys`
is kept beside it, and `sign_in` unlocks it for this process with the demo user."""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from app import demo
from app.core import keys
from app.demo import care as demo_care
from app.demo import claims as demo_claims
from app.demo import contracts as demo_contracts
from app.storage import keyring
from app.storage.engine import KeyedConnection, open_file
from app.storage.migrations import LATEST_VERSION
from app.storage.workspace import Workspace

MIGRATIONS = Path(demo.__file__).parent / "migrations"

DEFAULT_CACHE = Path(__file__).resolve().parent / ".cache"


@dataclass(frozen=True)
class Dataset:
    """A generated database and how it came to be."""

    path: Path
    size: str
    seed: int
    people: int
    households: int
    generate_seconds: float
    cached: bool
    followups: int = 0
    exams: int = 0


def _key(size: str, seed: int) -> str:
    files = [Path(demo.__file__), Path(demo_care.__file__), Path(demo_claims.__file__),
             Path(demo_contracts.__file__), Path(keys.__file__), Path(keyring.__file__),
             *sorted(MIGRATIONS.glob("*.py"))]
    source = b"".join(f.read_bytes() for f in files)
    digest = hashlib.sha256(source + str(LATEST_VERSION).encode()).hexdigest()[:10]
    return f"{size}-seed{seed}-{digest}"


def _progress(done: int, total: int, message: str) -> None:
    print(f"\r  生成 {done:>6}/{total} 户  {message:<24}", end="", file=sys.stderr, flush=True)


def _keep_key_file(work: Path, path: Path) -> None:
    """Move the demo database's key file beside the cached database, named after it."""
    made = keyring.keyring_path(work / "demo.db")
    if not made.exists():
        # The generator builds under a temporary name; its key file may still carry that name.
        found = sorted(work.glob("*.keys"))
        if len(found) != 1:
            raise RuntimeError(f"演示数据库的密钥文件不在 {work}（找到 {len(found)} 个）")
        made = found[0]
    made.replace(keyring.keyring_path(path))


_signed_in: set[Path] = set()


def sign_in(path: Path) -> None:
    """Unlock an encrypted benchmark database for this process as the demo user (once per file).

    A plain database (no key file beside it) is left alone: signing in to one would encrypt it.
    """
    p = Path(path).resolve()
    if p in _signed_in or not keyring.keyring_path(p).exists():
        return
    ws, _ = Workspace.sign_in(p, *demo.DEMO_USER)
    ws.close()
    _signed_in.add(p)


def connect(path: Path, *, read_only: bool = True) -> KeyedConnection:
    """A bare connection to a benchmark database (the floors' way in), unlocked first if encrypted."""
    sign_in(path)
    return open_file(path, read_only=read_only)


def copy_database(source: Path, dest: Path) -> Path:
    """Copy a closed database file and, if it is encrypted, its key file (named after the copy)."""
    shutil.copyfile(source, dest)
    ring = keyring.keyring_path(source)
    if ring.exists():
        shutil.copyfile(ring, keyring.keyring_path(dest))
    return dest


def dataset(size: str, seed: int, *, cache_dir: Path = DEFAULT_CACHE, fresh: bool = False) -> Dataset:
    """The cached database for (size, seed), generated (and timed) when missing or when `fresh`."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    ignore = cache_dir / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")
    key = _key(size, seed)
    path = cache_dir / f"{key}.db"
    meta_path = cache_dir / f"{key}.json"
    if path.exists() and meta_path.exists() and keyring.keyring_path(path).exists() and not fresh:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        sign_in(path)
        return Dataset(path=path, size=size, seed=seed, people=meta["people"],
                       households=meta["households"], generate_seconds=meta["seconds"], cached=True,
                       followups=meta.get("followups", 0), exams=meta.get("exams", 0))
    for old in cache_dir.glob(f"{size}-seed{seed}-*"):
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink()
    work = cache_dir / f"{key}.tmp"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    started = time.perf_counter()
    summary = demo.generate(work / "demo.db", size=size, seed=seed, progress=_progress)
    seconds = time.perf_counter() - started
    print(file=sys.stderr)
    for suffix in ("-wal", "-shm"):
        (work / f"demo.db{suffix}").unlink(missing_ok=True)
    (work / "demo.db").replace(path)
    _keep_key_file(work, path)
    # The demo county's policy packs: the database's default pack folder is `policies` beside it.
    packs = cache_dir / "policies"
    packs.mkdir(exist_ok=True)
    for pack in (work / "policies").glob("*.toml"):
        pack.replace(packs / pack.name)
    shutil.rmtree(work, ignore_errors=True)
    meta = {"people": summary.people, "households": summary.households, "seconds": seconds,
            "villages": summary.villages, "diagnoses": summary.diagnoses,
            "followups": summary.followups, "exams": summary.exams}
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    sign_in(path)
    return Dataset(path=path, size=size, seed=seed, people=summary.people,
                   households=summary.households, generate_seconds=seconds, cached=False,
                   followups=summary.followups, exams=summary.exams)
