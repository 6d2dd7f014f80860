"""Work around PySide6 builds that return None/True/False without a reference on Python 3.11.

Such builds assume the immortal singletons of Python 3.12+: on 3.11 each `label.setText(...)` or
`signal.emit(...)` then drops one reference to None or True, and after a few hundred calls the
interpreter aborts ("deallocating None"). Giving the three singletons a huge reference count makes
them immortal in practice, as they are on 3.12.
"""

from __future__ import annotations

import ctypes
import sys

_PINNED = 1 << 40
_done = False


def pin_singletons() -> None:
    """Make None, True and False effectively immortal (once; nothing to do on Python 3.12+)."""
    global _done
    if _done or sys.version_info >= (3, 12):
        return
    for obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(obj)).value += _PINNED
    _done = True
