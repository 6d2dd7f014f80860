"""The clinic's side of the network: the sync protocol over HTTP to the county server (httpx).

`HttpCounty` answers `app.sync.session.County`, so `cunyi sync` and the 数据同步 page run the same
session code over the network that tests run against a county in memory. A request that fails on
the way (no route, refused, cut off, timed out) is retried with backoff a few times; one the
county refuses is not, and its reason goes to the doctor in Chinese.
"""

from __future__ import annotations

import time
from typing import TypeVar

import httpx

from app.core.errors import CunyiError
from app.sync.protocol import (
    Challenge,
    ConfigPull,
    ConfigReply,
    Enrol,
    Enrolled,
    Hello,
    Knock,
    Message,
    ProtocolError,
    Pull,
    PullReply,
    Push,
    PushReply,
    Refusal,
    Resolve,
    ResolveReply,
    Welcome,
    decode,
    encode,
)

M = TypeVar("M", bound=Message)
MEDIA = "application/vnd.cunyi.sync+json+gzip"   # compressed by the protocol, bounded on reading
TIMEOUT = httpx.Timeout(30.0, connect=10.0)
RETRIES = 4
BACKOFF = 0.5          # seconds before the first retry, doubled each time


class SyncUnavailable(CunyiError):
    """The county server cannot be reached now; nothing was lost, sync again later."""


class NotServed(SyncUnavailable):
    """The county server does not know this request (it runs an older release)."""


class SyncRefused(CunyiError):
    """The county server refused (revoked, unknown device, newer protocol…): its words."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class HttpCounty:
    """The county server at `base_url` (e.g. http://county.example:8470)."""

    def __init__(self, base_url: str, *, timeout: httpx.Timeout = TIMEOUT, retries: int = RETRIES,
                 backoff: float = BACKOFF, transport: httpx.BaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.retries = retries
        self.backoff = backoff
        self.client = httpx.Client(base_url=self.base_url, timeout=timeout, transport=transport,
                                   headers={"Content-Type": MEDIA, "Accept": MEDIA})
        self.requests = 0
        self.bytes_sent = 0
        self.bytes_received = 0

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> HttpCounty:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def enrol(self, message: Enrol) -> Enrolled:
        return self._post("/v1/enrol", message, Enrolled)

    def knock(self, message: Knock) -> Challenge:
        return self._post("/v1/knock", message, Challenge)

    def hello(self, message: Hello) -> Welcome:
        return self._post("/v1/hello", message, Welcome)

    def push(self, message: Push) -> PushReply:
        return self._post("/v1/push", message, PushReply)

    def pull(self, message: Pull) -> PullReply:
        return self._post("/v1/pull", message, PullReply)

    def resolve(self, message: Resolve) -> ResolveReply:
        return self._post("/v1/resolve", message, ResolveReply)

    def config(self, message: ConfigPull) -> ConfigReply | None:
        """The configuration published for this clinic; None from a county server that does not
        send configuration yet (it answers 404)."""
        try:
            return self._post("/v1/config", message, ConfigReply)
        except NotServed:
            return None

    def _post(self, path: str, message: Message, kind: type[M]) -> M:
        body = encode(message)
        delay = self.backoff
        for attempt in range(self.retries + 1):
            try:
                response = self.client.post(path, content=body)
            except httpx.TransportError as exc:
                if attempt == self.retries:
                    raise SyncUnavailable(f"无法连接县里的服务器 {self.base_url}（{_why(exc)}）；"
                                          "数据都在本机，网络恢复后再同步即可") from None
                time.sleep(delay)
                delay *= 2
                continue
            self.requests += 1
            self.bytes_sent += len(body)
            self.bytes_received += len(response.content)
            if response.status_code >= 500 and attempt < self.retries:
                time.sleep(delay)
                delay *= 2
                continue
            return self._read(response, kind)
        raise AssertionError("unreachable")

    def _read(self, response: httpx.Response, kind: type[M]) -> M:
        raw = response.content
        if response.status_code != 200:
            try:
                refusal = decode(Refusal, raw)
            except ProtocolError:
                if response.status_code == 404:
                    raise NotServed(f"县里的服务器没有 {response.request.url.path}（版本较旧）") from None
                raise SyncUnavailable(f"县里的服务器出错（HTTP {response.status_code}），"
                                      "请稍后再同步") from None
            raise SyncRefused(refusal.code, refusal.message)
        try:
            return decode(kind, raw)
        except ProtocolError as exc:
            raise SyncUnavailable(f"县里的服务器的回复无法读取：{exc}") from None


def _why(exc: httpx.TransportError) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return "等待超时"
    if isinstance(exc, httpx.ConnectError):
        return "连接被拒绝或网络不通"
    return "连接中断"
