"""Trimming PyInstaller's collection of Qt: the plugins, libraries and catalogues the app never loads.

PyInstaller's Qt hooks collect every plugin of every module in use (Wayland, EGLFS, the virtual
keyboard that drags in QtQuick and QML, GTK's theme that drags in GTK and Cairo) and Qt's
translations in every language. The spec drops the plugins below, then the libraries that only
those plugins needed (found by following the link-time imports, so a library something kept still
uses is never dropped), and keeps Qt's catalogues for the app's languages only.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable
from pathlib import PurePath

# Plugin folders (under PySide6/Qt/plugins) and single plugins the app does not use. Kept:
# platforms offscreen, minimal, xcb, windows, cocoa; printsupport; ibus/compose input (Chinese
# input methods on Linux); styles; imageformats jpeg, gif, ico, svg; iconengines; xcbglintegrations.
DROPPED_PLUGINS = re.compile(
    r"plugins/("
    r"wayland-[^/]+|egldeviceintegrations|generic|networkinformation|tls|platformthemes"
    r"|platforms/[^/]*(eglfs|linuxfb|minimalegl|vkkhrdisplay|vnc|wayland|direct2d)[^/]*"
    r"|platforminputcontexts/[^/]*virtualkeyboard[^/]*"
    r"|imageformats/[^/]*(icns|tga|tiff|wbmp|webp|pdf)[^/]*"
    r")(/|$)",
    re.IGNORECASE,
)

Entry = tuple[str, str, str]  # (destination, source, typecode), a PyInstaller TOC row


def _key(path: str) -> str:
    return PurePath(path.replace("\\", "/")).name.lower()


def _is_dropped_plugin(dest: str) -> bool:
    return bool(DROPPED_PLUGINS.search(dest.replace("\\", "/")))


def trim_binaries(binaries: Iterable[Entry],
                  imports_of: Callable[[str], Iterable[tuple[str, str | None]]]) -> list[Entry]:
    """The binaries without the dropped plugins and the libraries only they imported.

    `imports_of(source)` gives the names a binary links against
    (PyInstaller.depend.bindepend.get_imports).
    """
    entries = list(binaries)
    # A library may also appear as a SYMLINK row (its source is then the link's relative target).
    by_name = {_key(dest): (dest, src, kind) for dest, src, kind in entries if kind != "SYMLINK"}

    def closure(roots: Iterable[Entry]) -> set[str]:
        seen: set[str] = set()
        todo = [src for _, src, _ in roots]
        while todo:
            src = todo.pop()
            for name, _ in imports_of(src):
                key = _key(name)
                if key in by_name and key not in seen:
                    seen.add(key)
                    todo.append(by_name[key][1])
        return seen

    kept = [e for e in entries if not _is_dropped_plugin(e[0]) and e[2] != "SYMLINK"]
    theirs = closure(e for e in entries if _is_dropped_plugin(e[0]) and e[2] != "SYMLINK")
    unused = theirs - closure(e for e in kept if _key(e[0]) not in theirs)
    return [e for e in entries
            if not _is_dropped_plugin(e[0]) and _key(e[0]) not in unused
            and not (e[2] == "SYMLINK" and _key(e[1]) in unused)]


def keep_qt_translations(datas: Iterable[Entry], languages: Iterable[str]) -> list[Entry]:
    """The data files without Qt's catalogues other than qtbase_<language>.qm for `languages`."""
    wanted = {f"qtbase_{lang}.qm".lower() for lang in languages}
    result = []
    for dest, src, kind in datas:
        path = dest.replace("\\", "/")
        if "/Qt/translations/" in path and _key(path) not in wanted:
            continue
        result.append((dest, src, kind))
    return result


def drop_dangling_symlinks(datas: Iterable[Entry], binaries: Iterable[Entry]) -> list[Entry]:
    """The data rows without SYMLINK rows that point at a binary no longer collected."""
    present = {dest.replace("\\", "/") for dest, _, _ in binaries}
    result = []
    for dest, src, kind in datas:
        if kind == "SYMLINK":
            target = posixpath.normpath(posixpath.join(posixpath.dirname(dest), src))
            if target not in present:
                continue
        result.append((dest, src, kind))
    return result
