"""Item 8: a name in CJK Extension A/B prints in a fallback font; one no font has is refused by name."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import pytest

from app.printing.agreement import render_agreement
from app.printing.card import render_card
from app.printing.fonts import UnprintableCharError
from app.printing.samples import sample_agreement, sample_card
from tests.cli_users import unlocked
from tests.conftest import VILLAGE, make_id
from tests.e2e.test_cli import cunyi
from tests.e2e.test_cli_print import home as home  # the fixture

RARE = "𠀀䶮明"  # U+20000 (Extension B), U+4DAE (Extension A), then a common character
SPACED = "\u3000\u3000明"  # the same name with the two rare characters as blank spaces
NO_FONT = "马\U0002B740明"  # U+2B740 is in Extension D, which no bundled font has


def ink(pdf: Path) -> int:
    """Dark pixels over all pages of pdf rasterized at 150 dpi."""
    subprocess.run(["pdftoppm", "-r", "150", "-gray", str(pdf), str(pdf.with_suffix(""))], check=True)
    total = 0
    for page in sorted(pdf.parent.glob(pdf.stem + "-*.pgm")):
        data = page.read_bytes()
        # Binary PGM: "P5\n<w> <h>\n255\n" then one byte a pixel.
        header_end = data.index(b"\n255\n") + 5
        total += sum(1 for b in data[header_end:] if b < 160)
    return total


def fonts(pdf: Path) -> str:
    return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("form", ["agreement", "card"])
def test_a_name_in_extension_a_and_b_prints_with_ink_where_the_name_stands(tmp_path, form):
    def render(name: str, out: Path) -> Path:
        if form == "agreement":
            render_agreement(dataclasses.replace(sample_agreement(), signer=name), out)
        else:
            render_card(dataclasses.replace(sample_card(), head=name), out)
        return out

    rare = render(RARE, tmp_path / "rare" / "form.pdf") if (tmp_path / "rare").mkdir() is None else None
    spaced = render(SPACED, tmp_path / "spaced" / "form.pdf") if (tmp_path / "spaced").mkdir() is None else None
    assert rare is not None and spaced is not None
    # Each printed copy of the name adds the strokes of 𠀀 and 䶮; a blank adds none.
    assert ink(rare) - ink(spaced) > 40
    listed = fonts(rare)
    assert "HanaMinB" in listed and "HanaMinA" in listed
    assert all(" yes " in line for line in listed.splitlines()[2:])  # every font embedded


def test_a_character_no_font_has_is_refused_naming_it_and_the_person(tmp_path):
    out = tmp_path / "agreement.pdf"
    with pytest.raises(UnprintableCharError) as err:
        render_agreement(dataclasses.replace(sample_agreement(), signer=NO_FONT), out)
    message = str(err.value)
    assert "\U0002B740" in message and "U+2B740" in message and NO_FONT in message
    assert "\n" not in message
    assert not out.exists()


def _rename_head(home: Path, name: str) -> None:
    from app.storage.workspace import Workspace

    with Workspace.open(unlocked(home / "cunyi.sqlite3")) as ws:
        [hit] = ws.people.search(make_id("19570312", "013"))
        ws.people.update(dataclasses.replace(ws.people.get(str(hit.id)), name=name))


def test_print_card_of_a_rare_name_has_the_fallback_and_an_unprintable_one_is_refused(home, tmp_path):
    _rename_head(home, RARE)
    card = tmp_path / "card.pdf"
    r = cunyi(home, "print", "card", VILLAGE + "0001", "-o", str(card), "--today", "2025-03-15")
    assert r.returncode == 0, r.stderr
    assert "HanaMinB" in fonts(card) and "HanaMinA" in fonts(card)
    _rename_head(home, NO_FONT)
    refused = tmp_path / "refused.pdf"
    r = cunyi(home, "print", "card", VILLAGE + "0001", "-o", str(refused), "--today", "2025-03-15")
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and "U+2B740" in r.stderr and NO_FONT in r.stderr, r.stderr
    assert not refused.exists()
