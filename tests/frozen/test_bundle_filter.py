"""Trimming the bundle drops unused Qt plugins and only the libraries nothing kept still uses."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "packaging"))

from bundle_filter import drop_dangling_symlinks, keep_qt_translations, trim_binaries

QT = "PySide6/Qt"
LINKS = {
    "/src/libqtvirtualkeyboardplugin.so": ["libQt6Quick.so.6", "libQt6Gui.so.6"],
    "/src/libQt6Quick.so.6": ["libQt6Qml.so.6"],
    "/src/libQt6Qml.so.6": [],
    "/src/libqxcb.so": ["libQt6XcbQpa.so.6", "libQt6Gui.so.6"],
    "/src/libQt6XcbQpa.so.6": [],
    "/src/libQt6Gui.so.6": [],
    "/src/QtGui.abi3.so": ["libQt6Gui.so.6"],
}
BINARIES = [
    (f"{QT}/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
     "/src/libqtvirtualkeyboardplugin.so", "BINARY"),
    (f"{QT}/plugins/platforms/libqxcb.so", "/src/libqxcb.so", "BINARY"),
    (f"{QT}/plugins/platforms/libqwayland.so", "/src/libqwayland.so", "BINARY"),
    (f"{QT}/lib/libQt6Quick.so.6", "/src/libQt6Quick.so.6", "BINARY"),
    (f"{QT}/lib/libQt6Qml.so.6", "/src/libQt6Qml.so.6", "BINARY"),
    (f"{QT}/lib/libQt6XcbQpa.so.6", "/src/libQt6XcbQpa.so.6", "BINARY"),
    (f"{QT}/lib/libQt6Gui.so.6", "/src/libQt6Gui.so.6", "BINARY"),
    ("PySide6/QtGui.abi3.so", "/src/QtGui.abi3.so", "EXTENSION"),
]


def imports_of(src: str) -> list[tuple[str, str | None]]:
    return [(name, f"/src/{name}") for name in LINKS.get(src, [])]


def test_dropped_plugins_take_only_their_own_libraries_with_them() -> None:
    kept = {Path(dest).name for dest, _, _ in trim_binaries(BINARIES, imports_of)}
    assert kept == {"libqxcb.so", "libQt6XcbQpa.so.6", "libQt6Gui.so.6", "QtGui.abi3.so"}


def test_links_to_dropped_libraries_and_other_languages_go() -> None:
    binaries = trim_binaries(BINARIES, imports_of)
    datas = [("libQt6Quick.so.6", f"{QT}/lib/libQt6Quick.so.6", "SYMLINK"),
             ("libQt6Gui.so.6", f"{QT}/lib/libQt6Gui.so.6", "SYMLINK"),
             (f"{QT}/translations/qtbase_zh_CN.qm", "/src/a.qm", "DATA"),
             (f"{QT}/translations/qtbase_de.qm", "/src/b.qm", "DATA"),
             (f"{QT}/translations/qt_zh_CN.qm", "/src/c.qm", "DATA"),
             ("resources/i18n/main_zh_CN.qm", "/src/d.qm", "DATA")]
    kept = drop_dangling_symlinks(keep_qt_translations(datas, ["zh_CN"]), binaries)
    assert [dest for dest, _, _ in kept] == [
        "libQt6Gui.so.6", f"{QT}/translations/qtbase_zh_CN.qm", "resources/i18n/main_zh_CN.qm"]
