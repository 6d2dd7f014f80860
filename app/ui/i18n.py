"""Loading the UI translations: every resources/i18n/*_<language>.qm plus Qt's own strings."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "en"

# QCoreApplication.installTranslator does not take ownership; these keep them alive.
_installed: list[QTranslator] = []


def i18n_dirs() -> list[Path]:
    """Folders that may hold the compiled translations, the frozen build's first."""
    dirs: list[Path] = []
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        dirs.append(Path(frozen) / "resources" / "i18n")
    dirs.append(Path(__file__).resolve().parents[2] / "resources" / "i18n")
    return dirs


def translation_files(language: str) -> list[Path]:
    """The application's .qm files for a language, one per file name (the first folder wins)."""
    found: dict[str, Path] = {}
    for folder in i18n_dirs():
        if not folder.is_dir():
            continue
        for qm in sorted(folder.glob(f"*_{language}.qm")):
            found.setdefault(qm.name, qm)
    return list(found.values())


def qt_translation_dirs() -> list[Path]:
    """Folders that may hold Qt's own catalogues: Qt's translations folder, then the bundle's."""
    dirs = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        dirs.append(Path(frozen) / "PySide6" / "Qt" / "translations")
    return dirs


def qt_translation_file(language: str) -> Path | None:
    """Qt's catalogue of its own strings (dialog labels, standard buttons) for `language`."""
    for folder in qt_translation_dirs():
        qm = folder / f"qtbase_{language}.qm"
        if qm.is_file():
            return qm
    return None


def install_translators(app: QApplication, language: str = "zh_CN") -> None:
    """Install Qt's and the application's translations for `language` ("en" installs none).

    Qt's catalogue goes in first: the translator installed last is asked first, so ours
    (qtbase_extra_*.qm among them) can fill the strings Qt's catalogue lacks.
    """
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    if language == SOURCE_LANGUAGE:
        return
    files = translation_files(language)
    qt_base = qt_translation_file(language)
    if qt_base is None:
        log.warning("Qt's own translation qtbase_%s.qm not found in %s", language,
                    ", ".join(str(d) for d in qt_translation_dirs()))
    else:
        files.insert(0, qt_base)
    for qm in files:
        translator = QTranslator(app)
        if translator.load(str(qm)):
            app.installTranslator(translator)
            _installed.append(translator)
        else:
            log.warning("could not load translation %s", qm)
    if not files:
        log.warning("no translations found for %s", language)


def role_name(role: str) -> str:
    """A user role as shown in the UI (the core's keys: village_doctor, township_admin, ...)."""
    names = {
        "village_doctor": QCoreApplication.translate("roles", "Village doctor"),
        "township_admin": QCoreApplication.translate("roles", "Township administrator"),
        "county_admin": QCoreApplication.translate("roles", "County administrator"),
    }
    return names.get(role, role)
