"""Labels are written in Chinese even on a PC that has no Chinese font installed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
from PySide6.QtGui import QFontMetrics
from app.ui.application import make_application
from app.ui.ui_font import chinese_families
app = make_application()
metrics = QFontMetrics(app.font())
print(int(all(metrics.inFontUcs4(ord(c)) for c in "家庭档案随访")), app.font().families()[0])
"""


def run_probe(env: dict[str, str]) -> tuple[str, str]:
    r = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True,
                       text=True, timeout=60, check=True)
    has, family = r.stdout.split(maxsplit=1)
    return has, family.strip()


def test_a_pc_without_chinese_fonts_gets_the_bundled_one(tmp_path: Path) -> None:
    config = tmp_path / "fonts.conf"
    config.write_text('<?xml version="1.0"?><fontconfig><cachedir>'
                      f'{tmp_path}/cache</cachedir></fontconfig>', encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "FONTCONFIG_FILE": str(config),
           "QT_QPA_FONTDIR": str(tmp_path / "none")}
    has, family = run_probe(env)
    assert has == "1", f"the application font {family} cannot write Chinese"
    assert "WenQuanYi" in family


def test_an_installed_chinese_font_is_kept() -> None:
    has, _family = run_probe({**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert has == "1"
