"""PNG pictures of the sample printouts for the docs: `python -m app.printing.gallery OUTDIR [NAME …]`.

Each form is rendered from app.printing.samples to a PDF in a temporary folder and turned into
one PNG per page (OUTDIR/NAME-1.png, NAME-2.png …) with poppler's pdftoppm, at --dpi (110 by
default, sharp enough to read 6.5 pt text). Without names, every form is drawn.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from app.printing import samples
from app.printing.agreement import render_agreement
from app.printing.card import render_card
from app.printing.exam_slip import render_exam_slip
from app.printing.followups import render_followups
from app.printing.layout import Output
from app.printing.referral import render_referral
from app.printing.settlement import render_settlement

FORMS: dict[str, Callable[[Output], Path | None]] = {
    "agreement": lambda out: render_agreement(samples.sample_agreement(), out),
    "card": lambda out: render_card(samples.sample_card(), out),
    "followup-htn": lambda out: render_followups(samples.sample_htn_followups(), out),
    "followup-dm": lambda out: render_followups(samples.sample_dm_followups(), out),
    "exam-slip": lambda out: render_exam_slip(samples.sample_exam_slip(), out),
    "referral": lambda out: render_referral(samples.sample_referral(), out),
    "settlement": lambda out: render_settlement(samples.sample_settlement(), out),
}


def draw(names: list[str], outdir: Path, dpi: int = 110) -> list[Path]:
    """Render the named forms to PNGs in outdir; the files written, in order."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise RuntimeError("pdftoppm (poppler-utils) is not installed")
    outdir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="cunyi-gallery-") as tmp:
        for name in names:
            pdf = Path(tmp) / f"{name}.pdf"
            FORMS[name](pdf)
            for old in outdir.glob(f"{name}-*.png"):
                old.unlink()
            subprocess.run([pdftoppm, "-r", str(dpi), "-png", str(pdf), str(outdir / name)],
                           check=True)
            written += sorted(outdir.glob(f"{name}-*.png"))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.printing.gallery",
                                     description="PNG pictures of the sample printouts.")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("names", nargs="*", metavar="NAME", help="forms to draw: " + ", ".join(FORMS))
    parser.add_argument("--dpi", type=int, default=110)
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in FORMS]
    if unknown:
        parser.error(f"unknown form {', '.join(unknown)}; choose from {', '.join(FORMS)}")
    try:
        for path in draw(args.names or list(FORMS), args.outdir, args.dpi):
            print(path)
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
