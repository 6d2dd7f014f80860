"""The Chinese translation is complete, compiled, and used once the translators are installed."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QFileInfo
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QFileIconProvider,
    QLabel,
)

from app.ui import i18n

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "resources" / "i18n"
BIN = Path(sys.executable).parent


def _tool(name: str) -> Path:
    tool = BIN / name
    if not tool.exists():
        pytest.skip(f"{name} is not installed next to the Python interpreter")
    return tool


def _messages(ts: Path) -> Iterator[tuple[str, str, ET.Element]]:
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            yield name, message.findtext("source") or "", translation


def _finished(translation: ET.Element) -> bool:
    if translation.get("type") in ("unfinished", "vanished", "obsolete"):
        return False
    plural_forms = translation.findall("numerusform")
    if plural_forms:
        return all((form.text or "").strip() for form in plural_forms)
    return bool((translation.text or "").strip())


def test_every_ui_string_has_a_chinese_translation(tmp_path: Path) -> None:
    sources = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "app" / "ui").rglob("*.py"))
    scanned = tmp_path / "all_zh_CN.ts"
    subprocess.run(
        [str(_tool("pyside6-lupdate")), *sources, "-ts", str(scanned)],
        cwd=ROOT, check=True, capture_output=True,
    )
    translated: set[tuple[str, str]] = set()
    for ts in sorted(I18N.glob("*_zh_CN.ts")):
        translated |= {(c, s) for c, s, t in _messages(ts) if _finished(t)}
    needed = {(c, s) for c, s, _ in _messages(scanned)}
    assert needed, "lupdate found no strings at all"
    outside_classes = sorted(s for c, s in needed if not c)
    assert not outside_classes, (
        "tr() outside a class has no context, so its translation is never found at run time; "
        f"write QCoreApplication.translate(\"<context>\", ...) instead: {outside_classes}"
    )
    missing = sorted(needed - translated)
    assert not missing, "untranslated (context, source): " + "; ".join(
        f"{c}: {s!r}" for c, s in missing[:40]
    ) + (f" … and {len(missing) - 40} more" if len(missing) > 40 else "")


def test_committed_ts_files_have_no_unfinished_entries() -> None:
    files = sorted(I18N.glob("*_zh_CN.ts"))
    assert files
    for ts in files:
        unfinished = [(c, s) for c, s, t in _messages(ts)
                      if t.get("type") not in ("vanished", "obsolete") and not _finished(t)]
        assert not unfinished, f"{ts.name}: {unfinished[:10]}"


def test_compiled_qm_files_match_their_ts(tmp_path: Path) -> None:
    lrelease = _tool("pyside6-lrelease")
    for ts in sorted(I18N.glob("*.ts")):
        committed = ts.with_suffix(".qm")
        assert committed.exists(), f"{committed.name} is missing; run pyside6-lrelease"
        fresh = tmp_path / committed.name
        subprocess.run([str(lrelease), str(ts), "-qm", str(fresh)], check=True,
                       capture_output=True)
        assert fresh.read_bytes() == committed.read_bytes(), (
            f"{committed.name} is out of date; run pyside6-lrelease {ts.name}"
        )


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[None]:
    had_translators = bool(i18n._installed)
    i18n.install_translators(qapp, "zh_CN")
    yield
    i18n.install_translators(qapp, "zh_CN" if had_translators else "en")


def test_installed_translators_turn_strings_into_chinese(qtbot, chinese: None) -> None:
    from app.ui.dialogs.first_run import ClinicPage

    page = ClinicPage()
    qtbot.addWidget(page)
    assert page.title() == "卫生室信息"
    assert QCoreApplication.translate("roles", "Village doctor") == "村医"
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(buttons)
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"


def _has_han(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_qt_file_dialog_speaks_chinese(qtbot, chinese: None, tmp_path: Path) -> None:
    # Qt's own dialog, as shown where there is no native one: every label the user reads.
    dialog = QFileDialog(None, "", str(tmp_path), "Excel (*.xlsx)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    qtbot.addWidget(dialog)
    dialog.show()
    labels = {label.objectName(): label.text() for label in dialog.findChildren(QLabel)}
    assert labels["lookInLabel"] == "查找范围(&L)："
    assert labels["fileTypeLabel"] == "文件类型(&T)："
    assert _has_han(labels["fileNameLabel"])
    # The 类型 column of a folder, as the dialog's file list shows it.
    assert QFileIconProvider().type(QFileInfo(str(tmp_path))) == "文件夹"
    assert i18n.qt_translation_file("zh_CN") is not None


def test_english_installs_no_translation(qtbot, qapp: QApplication) -> None:
    had_translators = bool(i18n._installed)
    i18n.install_translators(qapp, "en")
    try:
        assert QCoreApplication.translate("roles", "Village doctor") == "Village doctor"
    finally:
        if had_translators:
            i18n.install_translators(qapp, "zh_CN")


def test_frozen_build_translations_are_found_first(tmp_path: Path, monkeypatch) -> None:
    frozen = tmp_path / "resources" / "i18n"
    frozen.mkdir(parents=True)
    (frozen / "admin_zh_CN.qm").write_bytes((I18N / "admin_zh_CN.qm").read_bytes())
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    files = i18n.translation_files("zh_CN")
    assert frozen / "admin_zh_CN.qm" in files
    assert len({f.name for f in files}) == len(files)
