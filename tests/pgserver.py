"""A throwaway PostgreSQL cluster on a private port in a temporary folder, for tests and benchmarks.

    with pgserver.start() as cluster:
        url = cluster.create_database("county")      # postgresql://postgres@127.0.0.1:PORT/county

The binaries come from CUNYI_PG_BINDIR if set, else `pg_config --bindir`, else the newest
/usr/lib/postgresql/*/bin, else `initdb` on PATH. As root the cluster runs as the `postgres` user (PostgreSQL refuses to run as
root), its folder chowned to it. Authentication is `trust`, and the server listens on 127.0.0.1
and on a socket inside its folder only, so nothing outside this machine can reach it. Durability is
switched off (fsync, synchronous_commit, full_page_writes): a crash of the machine loses the
cluster, which is thrown away anyway. Stopping removes the folder.

`python -m tests.pgserver` starts one and waits, printing its URL, for trying the CLI by hand.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

REQUIRE_VARIABLE = "CUNYI_REQUIRE_PG"   # "1": tests fail, rather than skip, without PostgreSQL
BINDIR_VARIABLE = "CUNYI_PG_BINDIR"     # use the server binaries in this folder, and only these
RUN_AS = "postgres"
SUPERUSER = "postgres"
START_TIMEOUT = 60          # seconds pg_ctl waits for the server to accept connections
SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
}


class PgUnavailable(Exception):
    """PostgreSQL cannot be started on this machine; the message says why."""


def required() -> bool:
    return os.environ.get(REQUIRE_VARIABLE) == "1"


def _version_key(path: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path)) or (0,)


def find_bindir() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres, or None. CUNYI_PG_BINDIR, when set, is
    the only place looked in."""
    chosen = os.environ.get(BINDIR_VARIABLE)
    if chosen:
        return Path(chosen) if _has_server(Path(chosen)) else None
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True,
                                 timeout=10, check=True)
            candidates.append(Path(out.stdout.strip()))
    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                                           key=_version_key, reverse=True)]
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).parent)
    return next((folder for folder in candidates if _has_server(folder)), None)


def _has_server(folder: Path) -> bool:
    return all((folder / exe).is_file() for exe in ("initdb", "pg_ctl", "postgres"))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tail(path: Path, lines: int = 5) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return " | ".join(line.strip() for line in text.strip().splitlines()[-lines:])


@dataclass
class PgCluster:
    """A running cluster; `stop()` (or leaving its `with` block) shuts it down and removes it."""

    bindir: Path
    root: Path
    port: int = 0
    as_user: list[str] = field(default_factory=list)
    initdb_seconds: float = 0.0
    start_seconds: float = 0.0
    running: bool = False

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log(self) -> Path:
        return self.root / "postgres.log"

    @property
    def host(self) -> str:
        return "127.0.0.1"

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@{self.host}:{self.port}/{dbname}"

    def _run(self, *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self.as_user, *args], capture_output=True, text=True,
                              timeout=timeout, cwd=self.root)

    # --- databases ------------------------------------------------------------------------

    def execute(self, sql: str, dbname: str = "postgres") -> None:
        """Run one statement outside a transaction (CREATE/DROP DATABASE need that)."""
        import psycopg

        with psycopg.connect(self.url(dbname), autocommit=True, connect_timeout=10) as conn:
            conn.execute(sql.encode())

    def create_database(self, name: str, *, template: str = "template0") -> str:
        """A new empty database (or a copy of `template`); its URL."""
        self.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Gone, even with connections still open to it (they are ended)."""
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    # --- life -----------------------------------------------------------------------------

    def stop(self) -> None:
        """Shut the server down (immediately: the cluster is thrown away) and remove its folder."""
        try:
            if self.running:
                with contextlib.suppress(OSError, subprocess.SubprocessError):
                    self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                              "-w", "-t", "30", "stop", timeout=60)
                self._kill_leftover()
        finally:
            self.running = False
            shutil.rmtree(self.root, ignore_errors=True)

    def _kill_leftover(self) -> None:
        """If pg_ctl could not stop it, end the postmaster this cluster started, by its pid."""
        pidfile = self.data / "postmaster.pid"
        with contextlib.suppress(OSError, ValueError, IndexError):
            pid = int(pidfile.read_text().splitlines()[0])
            os.kill(pid, signal.SIGQUIT)
            for _ in range(50):
                os.kill(pid, 0)
                time.sleep(0.1)
            os.kill(pid, signal.SIGKILL)

    def __enter__(self) -> PgCluster:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def _run_as() -> tuple[list[str], tuple[int, int] | None]:
    """The command prefix that runs a program as the cluster's owner, and that owner's uid/gid."""
    if os.geteuid() != 0:
        return [], None
    try:
        entry = pwd.getpwnam(RUN_AS)
    except KeyError:
        raise PgUnavailable(f"running as root and there is no '{RUN_AS}' user to run PostgreSQL as "
                            "(install Debian's postgresql package: make system-deps)") from None
    runuser = shutil.which("runuser")
    if not runuser:
        raise PgUnavailable("running as root and runuser is missing, so PostgreSQL cannot be "
                            f"started as '{RUN_AS}'")
    return [runuser, "-u", RUN_AS, "--"], (entry.pw_uid, entry.pw_gid)


def _reachable_tmp() -> str:
    """The temporary folder if the cluster's owner can pass through every folder above it, else
    /tmp (a root-only TMPDIR would keep `postgres` out of its own data folder)."""
    tmp = Path(tempfile.gettempdir()).resolve()
    if all(folder.stat().st_mode & 0o001 for folder in (tmp, *tmp.parents)):
        return str(tmp)
    return "/tmp"


def start(settings: Mapping[str, str] | None = None) -> PgCluster:
    """initdb in a new temporary folder and start the server on a free port; PgUnavailable if not."""
    try:
        import psycopg  # noqa: F401  (the cluster is used through it)
    except ImportError:
        raise PgUnavailable("psycopg is not installed (pip install -e '.[server]')") from None
    bindir = find_bindir()
    if bindir is None:
        where = (f"{BINDIR_VARIABLE}={os.environ[BINDIR_VARIABLE]}"
                 if os.environ.get(BINDIR_VARIABLE)
                 else "pg_config --bindir, /usr/lib/postgresql/*/bin or PATH")
        raise PgUnavailable(f"no PostgreSQL server binaries (initdb, pg_ctl, postgres) in {where} "
                            "(install Debian's postgresql package: make system-deps)")
    as_user, owner = _run_as()
    root = Path(tempfile.mkdtemp(prefix="cunyi-pg-", dir=_reachable_tmp() if owner else None))
    cluster = PgCluster(bindir=bindir, root=root, as_user=as_user)
    try:
        if owner:
            os.chown(root, *owner)
        began = time.monotonic()
        made = cluster._run(str(bindir / "initdb"), "-D", str(cluster.data), "-U", SUPERUSER,
                            "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", timeout=120)
        if made.returncode != 0:
            why = " | ".join((made.stderr or made.stdout).strip().splitlines()[-3:])
            raise PgUnavailable(f"initdb failed ({bindir}): {why}")
        cluster.initdb_seconds = time.monotonic() - began
        options = {**SETTINGS, **(settings or {})}
        for _ in range(5):   # a port found free can be taken before the server binds it
            cluster.port = free_port()
            began = time.monotonic()
            flags = [f"-p {cluster.port}", f"-k {shlex.quote(str(root))}",
                     *(f"-c {k}={shlex.quote(v)}" for k, v in options.items())]
            up = cluster._run(str(bindir / "pg_ctl"), "-D", str(cluster.data), "-l", str(cluster.log),
                              "-w", "-t", str(START_TIMEOUT), "-s", "-o", " ".join(flags), "start",
                              timeout=START_TIMEOUT + 30)
            if up.returncode == 0:
                cluster.start_seconds = time.monotonic() - began
                cluster.running = True
                return cluster
            log = _tail(cluster.log)
            if "could not bind" not in log and "already in use" not in log:
                raise PgUnavailable(f"pg_ctl start failed: {(up.stderr or up.stdout).strip()} {log}")
        raise PgUnavailable(f"no free port could be bound: {_tail(cluster.log)}")
    except BaseException:
        cluster.running = (cluster.data / "postmaster.pid").exists()
        cluster.stop()
        raise


if __name__ == "__main__":
    with start() as c:
        print(f"PostgreSQL {c.bindir} at {c.url()} (initdb {c.initdb_seconds:.2f} s, "
              f"start {c.start_seconds:.2f} s); Ctrl-C stops it and removes {c.root}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)
