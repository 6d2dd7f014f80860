"""A small TCP proxy that adds a fixed one-way delay each way, and can cut connections.

netem is not available on the machines this runs on, so `benchmarks/slow_link.py` makes the rate
of a rural link with `tc … tbf` in a network namespace and the delay with this proxy: every
piece of data read from one side is written to the other `delay` seconds later (one way), so a
request and its answer take 2 × delay more than they would. The data is timestamped as it
arrives and delivered in order, so the delay does not cap the throughput (what is in flight is
not limited to one piece).

A new connection's first bytes are held one extra round trip (2 × delay): a client's TCP
handshake would have cost that on the real link, while the connection to the proxy itself is
made at once.

Loss: `cuts` is a plan for the connections accepted, in order: ("up", n) cuts the i-th
connection (abort, both sides) once n bytes from the client have been delivered to the server,
("down", n) once n bytes of the server's answers have gone to the client; connections after the
plan pass untouched. A cut therefore lands where the byte count falls, inside a request body or
inside an answer, not between messages.

What it measures: bytes each way, connections, cuts made, and `server_wait_s`, the sum over
requests of the time from the last byte delivered to the server to the first byte of its answer
(the proxy sits beside the server, so this is the server's time to answer, under load).

    with DelayProxy(("10.0.0.1", 0), ("127.0.0.1", 8470), delay=0.15) as proxy:
        proxy.port ...  proxy.stats()
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

Direction = Literal["up", "down"]
READ = 64 * 1024


@dataclass
class Stats:
    connections: int = 0
    bytes_up: int = 0            # client → server, delivered
    bytes_down: int = 0          # server → client, delivered
    cuts: list[dict[str, object]] = field(default_factory=list)
    server_wait_s: float = 0.0
    answers: int = 0             # answers that began after a request (≈ HTTP requests)


class _Conn:
    def __init__(self, number: int, accepted: float, cut: tuple[Direction, int] | None) -> None:
        self.number = number
        self.ready = accepted
        self.cut = cut
        self.sent = {"up": 0, "down": 0}
        self.last_up: float | None = None     # when the last request byte reached the server
        self.closed = False
        self.writers: list[asyncio.StreamWriter] = []


class DelayProxy:
    """A delaying proxy from `listen` to `target`, served on its own thread and event loop."""

    def __init__(self, listen: tuple[str, int], target: tuple[str, int], *, delay: float = 0.15,
                 handshake: bool = True, cuts: Sequence[tuple[Direction, int]] = ()) -> None:
        self.listen = listen
        self.target = target
        self.delay = delay
        self.handshake = handshake
        self.plan = list(cuts)
        self.port = 0
        self._stats = Stats()
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.Server | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, name="delay-proxy",
                                        daemon=True)

    # --- life ------------------------------------------------------------------------------

    def start(self) -> DelayProxy:
        self._thread.start()
        fut = asyncio.run_coroutine_threadsafe(self._open(), self._loop)
        self.port = fut.result(timeout=10)
        return self

    async def _open(self) -> int:
        self._server = await asyncio.start_server(self._accept, self.listen[0], self.listen[1],
                                                  reuse_address=True)
        return int(self._server.sockets[0].getsockname()[1])

    def close(self) -> None:
        if not self._thread.is_alive():
            return

        async def shut() -> None:
            if self._server is not None:
                self._server.close()
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            # Waited for here: a task left pending would be destroyed later, at any moment.
            await asyncio.gather(*tasks, return_exceptions=True)

        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(shut(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        with contextlib.suppress(Exception):
            self._loop.close()

    def __enter__(self) -> DelayProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def set_cuts(self, cuts: Sequence[tuple[Direction, int]]) -> None:
        """A new plan for the connections accepted from now on."""
        with self._lock:
            self.plan = list(cuts)

    def stats(self) -> Stats:
        with self._lock:
            s = self._stats
            return Stats(s.connections, s.bytes_up, s.bytes_down, list(s.cuts),
                         round(s.server_wait_s, 3), s.answers)

    def reset_stats(self) -> None:
        with self._lock:
            self._stats = Stats()

    # --- relaying --------------------------------------------------------------------------

    async def _accept(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        loop = asyncio.get_running_loop()
        with self._lock:
            number = self._stats.connections
            self._stats.connections += 1
            cut = self.plan.pop(0) if self.plan else None
        conn = _Conn(number, loop.time() + (2 * self.delay if self.handshake else 0.0), cut)
        try:
            server_r, server_w = await asyncio.open_connection(*self.target)
        except OSError:
            client_w.close()
            return
        conn.writers = [client_w, server_w]
        for w in conn.writers:
            sock = w.get_extra_info("socket")
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            await asyncio.gather(self._pipe(conn, "up", client_r, server_w),
                                 self._pipe(conn, "down", server_r, client_w),
                                 return_exceptions=True)
        except asyncio.CancelledError:
            # Closing the proxy: end normally, or asyncio's stream callback (3.11) logs the
            # cancellation as an error.
            pass
        finally:
            self._abort(conn, reset=False)

    async def _pipe(self, conn: _Conn, direction: Direction, reader: asyncio.StreamReader,
                    writer: asyncio.StreamWriter) -> None:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def pump() -> None:
            while True:
                try:
                    data = await reader.read(READ)
                except (ConnectionError, OSError):
                    data = b""
                queue.put_nowait((max(loop.time(), conn.ready) + self.delay, data))
                if not data:
                    return

        reading = asyncio.ensure_future(pump())
        try:
            while True:
                due, data = await queue.get()
                wait = due - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                if conn.closed:
                    return
                if not data:
                    with contextlib.suppress(OSError, RuntimeError):
                        if writer.can_write_eof():
                            writer.write_eof()
                    return
                data = self._until_cut(conn, direction, data)
                if data:
                    self._note(conn, direction, len(data), loop.time())
                    writer.write(data)
                    try:
                        await writer.drain()
                    except (ConnectionError, OSError):
                        self._abort(conn, reset=True)
                        return
                if conn.cut is not None and conn.sent[conn.cut[0]] >= conn.cut[1]:
                    self._cut(conn)
                    return
        finally:
            reading.cancel()

    def _until_cut(self, conn: _Conn, direction: Direction, data: bytes) -> bytes:
        if conn.cut is None or conn.cut[0] != direction:
            return data
        room = conn.cut[1] - conn.sent[direction]
        return data[:max(room, 0)]

    def _note(self, conn: _Conn, direction: Direction, n: int, now: float) -> None:
        conn.sent[direction] += n
        with self._lock:
            if direction == "up":
                self._stats.bytes_up += n
                conn.last_up = now
            else:
                self._stats.bytes_down += n
                if conn.last_up is not None:
                    # The answer's first byte left the server about `delay` ago (it waited here).
                    self._stats.server_wait_s += max(now - self.delay - conn.last_up, 0.0)
                    self._stats.answers += 1
                    conn.last_up = None

    def _cut(self, conn: _Conn) -> None:
        assert conn.cut is not None
        with self._lock:
            self._stats.cuts.append({"connection": conn.number, "direction": conn.cut[0],
                                     "after_bytes": conn.sent[conn.cut[0]]})
        self._abort(conn, reset=True)

    def _abort(self, conn: _Conn, *, reset: bool) -> None:
        if conn.closed:
            return
        conn.closed = True
        for w in conn.writers:
            sock = w.get_extra_info("socket")
            if reset and sock is not None:
                with contextlib.suppress(OSError):   # RST, not FIN: the link is gone
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            with contextlib.suppress(Exception):
                if reset:
                    w.transport.abort()
                else:
                    w.close()


def main(argv: list[str] | None = None) -> int:
    """`python -m benchmarks.delay_proxy LISTEN_PORT TARGET_HOST:PORT [--delay S]`: run until ^C."""
    import argparse

    p = argparse.ArgumentParser(prog="python -m benchmarks.delay_proxy")
    p.add_argument("listen_port", type=int)
    p.add_argument("target")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--delay", type=float, default=0.15, help="one-way delay in seconds")
    args = p.parse_args(argv)
    host, _, port = args.target.rpartition(":")
    with DelayProxy((args.host, args.listen_port), (host or "127.0.0.1", int(port)),
                    delay=args.delay) as proxy:
        print(f"{args.host}:{proxy.port} → {args.target}, {args.delay * 1000:.0f} ms each way",
              flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
