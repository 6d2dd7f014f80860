"""Record ids: UUIDv7 strings generated on the client, and uuid5 ids of rows with a natural key."""

from __future__ import annotations

import os
import threading
import time
import uuid
from typing import NewType

RecordId = NewType("RecordId", str)

_lock = threading.Lock()
_last_ms = 0
_seq = 0


def uuid7() -> RecordId:
    """A new UUIDv7 (RFC 9562) as a lowercase string; monotonic within this process."""
    global _last_ms, _seq
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms <= _last_ms:
            ms = _last_ms
            _seq += 1
            if _seq > 0xFFF:
                ms += 1
                _seq = 0
        else:
            _seq = int.from_bytes(os.urandom(2), "big") & 0x7FF
        _last_ms = ms
        seq = _seq
    rand = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= seq << 64
    value |= 0b10 << 62
    value |= rand
    h = f"{value:032x}"
    return RecordId(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")


# Rows that every installation of a place creates by nature (the division of a village, of its
# township and county) take ids derived from their natural key, so two PCs make the same row.
NATURAL_KEY_NAMESPACE = uuid.UUID("6f1c2b8e-3d47-4a0e-9a51-2c8d7e4f9b30")


def natural_id(kind: str, key: str) -> RecordId:
    """The id of a row identified by its natural key: uuid5 of the project namespace, kind and key."""
    return RecordId(str(uuid.uuid5(NATURAL_KEY_NAMESPACE, f"{kind}:{key}")))


def division_id(code: str) -> RecordId:
    """The id of the `divisions` row of a 12-digit division code, the same on every install."""
    return natural_id("division", code)
