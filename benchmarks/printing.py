"""Form PDF time (one 家庭医生签约服务协议书, warm) against a bare canvas floor; a 500-contract
batch; opening the print preview."""

from __future__ import annotations

import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from app.printing.agreement import render_agreement, render_agreements
from app.printing.fonts import register_font
from app.printing.samples import sample_agreement
from benchmarks.stats import summarize

TARGETS = {"agreement_p50_ms": 150.0, "batch_500_s": 60.0, "batch_rss_growth_mb": 10.0,
           "preview_open_s": 1.0}

# From the click to a shown preview, as in the running app: render the agreement to a file and
# open it in the preview dialog (offscreen), until the dialog is shown with its pages loaded.
_PREVIEW_CHILD = """
import json, os, statistics, sys, tempfile, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from pathlib import Path
from PySide6.QtWidgets import QApplication
from app.printing.agreement import render_agreement
from app.printing.samples import sample_agreement
from app.ui.widgets.pdf_preview import PdfPreviewDialog
app = QApplication([])
samples = []
with tempfile.TemporaryDirectory() as tmp:
    for i in range(6):
        start = time.perf_counter()
        out = render_agreement(sample_agreement(), Path(tmp) / f"a{i}.pdf")
        dialog = PdfPreviewDialog(out, title="协议书")
        dialog.show()
        while dialog.page_count() < 1 or not dialog.isVisible():
            app.processEvents()
        app.processEvents()
        samples.append(time.perf_counter() - start)
        dialog.close()
print(json.dumps({"median_s": statistics.median(samples[1:]), "first_s": samples[0]}))
"""


def preview_open() -> dict[str, float]:
    """Median time to open the print preview of one agreement (the first, cold, reported apart)."""
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", _PREVIEW_CHILD], cwd=root, capture_output=True,
                         text=True, check=True, timeout=120)
    return {k: round(v, 3) for k, v in json.loads(out.stdout.strip().splitlines()[-1]).items()}


def _rss_mb() -> float:
    """Current resident set size in MB (Linux /proc; peak RSS elsewhere)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            pages = int(fh.read().split()[1])
        return round(pages * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)
    except OSError:
        return _peak_rss_mb()


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (2**20 if sys.platform == "darwin" else 2**10), 1)


def _floor_pdf(lines_per_page: list[list[str]]) -> bytes:
    """The same text in the same embedded font drawn line by line on a bare canvas."""
    font = register_font()
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=A4, initialFontName=font, invariant=True)
    for lines in lines_per_page:
        c.setFont(font, 10)
        y = A4[1] - 50
        for line in lines:
            c.drawString(50, y, line)
            y -= 13
        c.showPage()
    c.save()
    return buffer.getvalue()


def run(renders: int = 20, batch: int = 500) -> dict[str, object]:
    """Median single-agreement time, its bare-canvas floor, and a batch with RSS checkpoints."""
    data = sample_agreement()
    for _ in range(3):
        render_agreement(data, io.BytesIO())
    times: list[float] = []
    for _ in range(renders):
        buffer = io.BytesIO()
        start = time.perf_counter()
        render_agreement(data, buffer)
        times.append(time.perf_counter() - start)
    pages = [page.extract_text().splitlines() for page in PdfReader(buffer).pages]
    floor_times: list[float] = []
    for _ in range(renders):
        start = time.perf_counter()
        _floor_pdf(pages)
        floor_times.append(time.perf_counter() - start)
    ours, floor = summarize(times), summarize(floor_times)

    items = [sample_agreement(f"QY-622923104201-2024-{i:04d}") for i in range(batch)]
    rss: dict[int, float] = {}

    def progress(done: int, total: int) -> None:
        if done in (100, total):
            rss[done] = _rss_mb()

    rss_before = _rss_mb()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "batch.pdf"
        start = time.perf_counter()
        render_agreements(items, out, progress=progress)
        batch_s = time.perf_counter() - start
        size_mb = round(out.stat().st_size / 2**20, 2)
        batch_pages = len(PdfReader(out).pages)
    return {
        "agreement_ms": ours,
        "floor_canvas_ms": floor,
        "ratio_to_floor": round(ours["p50"] / floor["p50"], 2) if floor["p50"] else None,
        "agreement_pages": len(pages),
        "preview_open_s": preview_open(),
        "batch": {"n": batch, "seconds": round(batch_s, 2), "pages": batch_pages,
                  "pdf_mb": size_mb, "rss_before_mb": rss_before,
                  "rss_after_100_mb": rss.get(100), "rss_after_all_mb": rss.get(batch),
                  "rss_growth_mb": (round(rss[batch] - rss[100], 1)
                                    if 100 in rss and batch in rss else None),
                  "peak_rss_mb": _peak_rss_mb()},
        "targets": TARGETS,
    }


if __name__ == "__main__":
    print(json.dumps(run(), ensure_ascii=False, indent=2))
