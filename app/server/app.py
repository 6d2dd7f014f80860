"""The county server's HTTP face: the sync protocol over POST, on FastAPI.

Every body, both ways, is one protocol message, gzip-compressed JSON (`app/sync/protocol.py`,
media type `application/vnd.cunyi.sync+json+gzip`): `POST /v1/enrol`, `/v1/knock`, `/v1/hello`,
`/v1/push`, `/v1/pull`, `/v1/resolve`, and `/v1/config` (the county's signed configuration,
app/server/config.py). A message the server cannot read, or one from a newer protocol, is
answered with a `Refusal` (HTTP 400 or 426) that says what to do; a device the county does not
know or has revoked gets 403 with the reason. Handlers are plain functions: FastAPI runs
them on its thread pool, each with a connection of its own from a small pool.
"""

from __future__ import annotations

import queue
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any, TypeVar

from fastapi import FastAPI, Request, Response

from app.server import db
from app.server.store import Refused, Store
from app.sync.protocol import (
    MAX_BODY,
    ConfigPull,
    Enrol,
    Hello,
    Knock,
    Message,
    ProtocolError,
    Pull,
    Push,
    Refusal,
    RefusalCode,
    Resolve,
    decode,
    encode,
)

M = TypeVar("M", bound=Message)
# The body is compressed by the protocol itself (bounded when inflated), so it is not declared as
# a Content-Encoding that HTTP libraries would undo on their own, without a bound.
MEDIA = "application/vnd.cunyi.sync+json+gzip"
STATUS = {"upgrade": 426, "revoked": 403, "auth": 403, "scope": 403, "bad_request": 400, "busy": 503}


class Pool:
    """A few open connections to the county database, reused across requests."""

    def __init__(self, url: str, size: int = 8) -> None:
        self.url = url
        self.idle: queue.LifoQueue[db.Connection] = queue.LifoQueue(maxsize=size)

    @contextmanager
    def store(self) -> Iterator[Store]:
        try:
            conn = self.idle.get_nowait()
        except queue.Empty:
            conn = db.connect(self.url, autocommit=True)
        try:
            yield Store(conn)
        except BaseException:
            conn.close()            # a connection that failed mid-request is not reused
            raise
        if conn.closed or conn.info.transaction_status != 0:  # 0: idle, nothing left open
            conn.close()
            return
        try:
            self.idle.put_nowait(conn)
        except queue.Full:
            conn.close()

    def close(self) -> None:
        while not self.idle.empty():
            self.idle.get_nowait().close()


def _reply(message: Message, status: int = 200) -> Response:
    return Response(encode(message), status_code=status, media_type=MEDIA)


def create_app(url: str) -> FastAPI:
    """The FastAPI application serving the county database at `url`."""
    pool = Pool(url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        pool.close()

    app = FastAPI(title="Cunyi county sync", docs_url=None, redoc_url=None, openapi_url=None,
                  lifespan=lifespan)
    app.state.pool = pool

    def serve(kind: type[M], body: bytes, handle: Callable[[Store, M], Message]) -> Response:
        if len(body) > MAX_BODY:
            return _reply(Refusal(code="bad_request", message="同步数据过大"), 413)
        try:
            message = decode(kind, body)
        except ProtocolError as exc:
            code: RefusalCode = "upgrade" if "升级" in str(exc) else "bad_request"
            return _reply(Refusal(code=code, message=str(exc)), STATUS[code])
        try:
            with pool.store() as store:
                return _reply(handle(store, message))
        except Refused as exc:
            return _reply(Refusal(code=exc.code, message=exc.message), STATUS.get(exc.code, 400))

    @app.post("/v1/enrol")
    def enrol(body: bytes = _body()) -> Response:
        return serve(Enrol, body, lambda s, m: s.enrol(m))

    @app.post("/v1/knock")
    def knock(body: bytes = _body()) -> Response:
        return serve(Knock, body, lambda s, m: s.knock(m))

    @app.post("/v1/hello")
    def hello(body: bytes = _body()) -> Response:
        return serve(Hello, body, lambda s, m: s.hello(m))

    @app.post("/v1/push")
    def push(body: bytes = _body()) -> Response:
        return serve(Push, body, lambda s, m: s.push(m))

    @app.post("/v1/pull")
    def pull(body: bytes = _body()) -> Response:
        return serve(Pull, body, lambda s, m: s.pull(m))

    @app.post("/v1/resolve")
    def resolve(body: bytes = _body()) -> Response:
        return serve(Resolve, body, lambda s, m: s.resolve(m))

    @app.post("/v1/config")
    def config(body: bytes = _body()) -> Response:
        return serve(ConfigPull, body, lambda s, m: s.config(m))

    @app.get("/v1/ping")
    def ping() -> dict[str, Any]:
        return {"ok": True}

    return app


def _body() -> Any:
    """The raw request body (still compressed: the protocol decodes it, bounded)."""
    from fastapi import Depends

    async def read(request: Request) -> bytes:
        return await request.body()

    return Depends(read)
