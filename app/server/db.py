"""Connections to the county database: PostgreSQL through psycopg 3.

The database is named by a URL (`postgresql://user:password@host:port/dbname`, or libpq's
`key=value` form), from `--database` or the environment variable CUNYI_COUNTY_DATABASE. A
database that cannot be reached is one Chinese line (`CountyDatabaseError`), never a driver
traceback, and the line never shows the password.
"""

from __future__ import annotations

import os
from typing import Any

import psycopg
from psycopg import conninfo

from app.core.errors import StorageError, ValidationError

DATABASE_VARIABLE = "CUNYI_COUNTY_DATABASE"
CONNECT_TIMEOUT = 10            # seconds; an address nothing answers on fails within this
APPLICATION_NAME = "cunyi-county"

# The county's copy of the clinic's synced tables (app/storage/changes.py SYNCED_TABLES), parents
# before children. Kept here rather than imported: the server's schema is its own migrations'.
COUNTY_TABLES = (
    "divisions", "households", "people", "poverty_events", "help_persons", "diagnoses",
    "teams", "contracts", "contract_members", "service_deliveries",
    "follow_ups", "referral_results", "general_visits", "health_exams", "exam_returns",
    "claims",
)

Connection = psycopg.Connection[Any]


class CountyDatabaseError(StorageError):
    """The county database cannot be reached or used; the message says why in one line."""


def database_url(given: str | None) -> str:
    """The database URL given, else CUNYI_COUNTY_DATABASE's; refused when there is neither."""
    url = (given or os.environ.get(DATABASE_VARIABLE, "")).strip()
    if not url:
        raise ValidationError(f"请用 --database 或环境变量 {DATABASE_VARIABLE} 给出县级数据库地址"
                              "（例如 postgresql://cunyi@localhost:5432/cunyi_county）")
    return url


def describe(url: str) -> str:
    """`user@host:port/dbname` for messages: never the password."""
    parts = conninfo.conninfo_to_dict(url)
    user = parts.get("user")
    host = parts.get("host") or "localhost"
    port = parts.get("port")
    dbname = parts.get("dbname") or user or ""
    return f"{f'{user}@' if user else ''}{host}{f':{port}' if port else ''}/{dbname}"


def one_line(exc: BaseException) -> str:
    """What the driver said, on one line."""
    return " ".join(line.strip() for line in str(exc).splitlines() if line.strip())


def _why(exc: psycopg.Error) -> str:
    """The usual reasons a connection fails, in Chinese; the driver's words follow."""
    text = str(exc)
    for needle, why in (
        ("Connection refused", "该地址和端口上没有运行 PostgreSQL"),
        ("timeout expired", "连接超时"),
        ("could not translate host name", "找不到该主机"),
        ("Name or service not known", "找不到该主机"),
        ("No such file or directory", "本机上没有运行 PostgreSQL（找不到套接字）"),
        ("password authentication failed", "用户名或密码不对"),
        ("no password supplied", "需要密码"),
        ("does not exist", "数据库或用户不存在"),
        ("no pg_hba.conf entry", "服务器不允许从本机连接（pg_hba.conf）"),
    ):
        if needle in text:
            return why
    return "连接失败"


def connect(url: str, *, autocommit: bool = False) -> Connection:
    """A connection to the county database, or CountyDatabaseError in one line."""
    try:
        conninfo.conninfo_to_dict(url)
    except psycopg.Error:   # the driver's words would repeat the address, password and all
        raise CountyDatabaseError("县级数据库地址无法识别：应为 postgresql://用户:密码@主机:端口/库名"
                                  "（或 libpq 的 key=value 形式）") from None
    try:
        return psycopg.connect(url, autocommit=autocommit, connect_timeout=CONNECT_TIMEOUT,
                               application_name=APPLICATION_NAME)
    except psycopg.Error as exc:
        raise CountyDatabaseError(
            f"无法连接县级数据库 {describe(url)}：{_why(exc)}（{one_line(exc)}）") from exc
