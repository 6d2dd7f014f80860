"""Where each key of a TOML text is written, so a message can name the line as well as the field.

`tomllib` gives values but no positions. This scanner reads the text line by line and records the
line of every table header, every `key = value`, and every element of an inline array of tables
(`bands = [ { … }, { … } ]`). Paths are tuples of keys and array indexes, as in the parsed data:
`("layer", "基本医保", "ratio")`, `("waiver", 1, "fee")`, `("layer", "大病保险", "bands", 0)`.
Keys inside one-line inline tables are not recorded: `line_of` falls back to the nearest recorded
ancestor, which is the line the inline table is written on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

KeyPath = tuple[str | int, ...]

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


def split_key(text: str) -> tuple[str, ...] | None:
    """The parts of a dotted key (`layer."基本医保".ratio`), unquoted; None if it is not a key."""
    parts: list[str] = []
    s, i = text.strip(), 0
    while i < len(s):
        while i < len(s) and s[i] in " \t":
            i += 1
        if i < len(s) and s[i] in "\"'":
            end = _closing_quote(s, i)
            if end < 0:
                return None
            parts.append(_unquote(s[i:end + 1]))
            i = end + 1
        else:
            m = _BARE.match(s, i)
            if not m:
                return None
            parts.append(m.group())
            i = m.end()
        while i < len(s) and s[i] in " \t":
            i += 1
        if i < len(s):
            if s[i] != ".":
                return None
            i += 1
    return tuple(parts) if parts else None


def _closing_quote(s: str, start: int) -> int:
    quote, i = s[start], start + 1
    while i < len(s):
        if quote == '"' and s[i] == "\\":
            i += 2
            continue
        if s[i] == quote:
            return i
        i += 1
    return -1


def _unquote(token: str) -> str:
    body = token[1:-1]
    if token[0] == "'":
        return body
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body)


def _code_chars(line: str) -> Iterator[tuple[int, str]]:
    """The characters of a line outside strings and comments, with their positions."""
    i = 0
    while i < len(line):
        ch = line[i]
        if ch == "#":
            return
        if ch in "\"'":
            end = _closing_quote(line, i)
            if end < 0:
                return
            i = end + 1
            continue
        yield i, ch
        i += 1


def _equals_at(line: str) -> int:
    return next((i for i, ch in _code_chars(line) if ch == "="), -1)


@dataclass
class _Array:
    """An inline array still open at the end of a line: its path, depth and next element."""

    path: KeyPath
    depth: int = 0
    next_index: int = 0


@dataclass
class KeyLines:
    """The line of each key path of one TOML text (1-based)."""

    lines: dict[KeyPath, int] = field(default_factory=dict)

    def line_of(self, path: KeyPath) -> int | None:
        """The line of `path`, else of its nearest recorded ancestor; None if none is recorded."""
        for n in range(len(path), 0, -1):
            if path[:n] in self.lines:
                return self.lines[path[:n]]
        return None


def key_lines(text: str) -> KeyLines:
    """Scan a TOML text for the line of every header, key and inline-array element."""
    found = KeyLines()
    table: KeyPath = ()
    tables_seen: dict[KeyPath, int] = {}
    array: _Array | None = None
    multiline: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        if multiline:
            if multiline in raw:
                multiline = None
            continue
        if array is not None:
            array = _scan_array(raw, 0, array, number, found)
            continue
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            table = _header(line, tables_seen) or table
            found.lines.setdefault(table, number)
            continue
        eq = _equals_at(line)
        parts = split_key(line[:eq]) if eq > 0 else None
        if parts is None:
            continue
        path = table + parts
        found.lines.setdefault(path, number)
        value = line[eq + 1:].lstrip()
        for quote in ('"""', "'''"):
            if value.startswith(quote) and value.count(quote) == 1:
                multiline = quote
        if value.startswith("["):
            array = _scan_array(line, eq + 1, _Array(path), number, found)
    return found


def _header(line: str, seen: dict[KeyPath, int]) -> KeyPath | None:
    double = line.startswith("[[")
    end = line.find("]]" if double else "]")
    parts = split_key(line[2 if double else 1:end]) if end > 0 else None
    if parts is None:
        return None
    if not double:
        return parts
    index = seen.get(parts, 0)
    seen[parts] = index + 1
    return (*parts, index)


def _scan_array(line: str, start: int, state: _Array, number: int, found: KeyLines) -> _Array | None:
    """Follow brackets through one line; record where each `{ … }` element of the array starts."""
    for i, ch in _code_chars(line):
        if i < start:
            continue
        if ch in "[{":
            if ch == "{" and state.depth == 1:
                found.lines.setdefault((*state.path, state.next_index), number)
                state.next_index += 1
            state.depth += 1
        elif ch in "]}":
            state.depth -= 1
            if state.depth == 0:
                return None
    return state
