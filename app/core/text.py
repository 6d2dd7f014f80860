"""Normalising what people type or what a spreadsheet holds: full-width forms, stray spaces."""

from __future__ import annotations

import unicodedata

_SPACES = {"\u3000", "\u00a0", "\u2002", "\u2003", "\u2009", "\u200b", "\ufeff", "\t", "\r", "\n"}


def to_halfwidth(text: str) -> str:
    """Turn full-width ASCII (０１２ＡＢＣ，ｘ) and the ideographic space into their plain forms."""
    out = []
    for ch in text:
        code = ord(ch)
        if code == 0x3000:
            out.append(" ")
        elif 0xFF01 <= code <= 0xFF5E:
            out.append(chr(code - 0xFEE0))
        else:
            out.append(ch)
    return "".join(out)


def clean(text: object) -> str:
    """A cell or a field as a tidy string: half-width, no invisible or surrounding spaces."""
    if text is None:
        return ""
    s = to_halfwidth(str(text))
    s = "".join(" " if ch in _SPACES else ch for ch in s)
    s = unicodedata.normalize("NFC", s)
    return " ".join(s.split())


def compact(text: object) -> str:
    """Like `clean` but with every space removed: for IDs, phone numbers and codes."""
    return clean(text).replace(" ", "")
