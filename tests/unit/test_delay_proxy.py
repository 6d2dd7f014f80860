"""The benchmarks' delaying proxy: it delays each way by its delay, and cuts where told."""

from __future__ import annotations

import contextlib
import socket
import threading
import time

from benchmarks.delay_proxy import DelayProxy


def _echo_server() -> tuple[socket.socket, int]:
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()

    def echo(conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            while data := conn.recv(65536):
                conn.sendall(data)

    def serve() -> None:
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            threading.Thread(target=echo, args=(conn,), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    return srv, srv.getsockname()[1]


def _round_trip(sock: socket.socket, payload: bytes) -> float:
    started = time.monotonic()
    sock.sendall(payload)
    got = b""
    while len(got) < len(payload):
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        got += chunk
    assert got == payload
    return time.monotonic() - started


def test_delays_each_way_and_cuts_after_the_bytes_planned() -> None:
    srv, port = _echo_server()
    try:
        with DelayProxy(("127.0.0.1", 0), ("127.0.0.1", port), delay=0.1,
                        cuts=[("up", 5_000)]) as proxy:
            with socket.create_connection(("127.0.0.1", proxy.port)) as first:
                first.sendall(b"x" * 20_000)          # more than the plan lets through
                first.settimeout(2)
                got = b""
                try:
                    while chunk := first.recv(65536):
                        got += chunk
                except (ConnectionError, TimeoutError):
                    pass
                assert len(got) <= 5_000
            with socket.create_connection(("127.0.0.1", proxy.port), timeout=2) as second:
                handshake_and_trip = _round_trip(second, b"hello")
                trip = _round_trip(second, b"again")
            stats = proxy.stats()
        # Lower bounds only: the proxy holds data at least this long; a loaded machine adds more.
        assert trip >= 0.2                              # 2 × 100 ms
        assert handshake_and_trip >= 0.4                # and the first bytes one round trip more
        assert stats.connections == 2
        assert stats.cuts == [{"connection": 0, "direction": "up", "after_bytes": 5_000}]
    finally:
        srv.close()
