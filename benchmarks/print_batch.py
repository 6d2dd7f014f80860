"""打印… of a 500-page batch at 300 dpi: time, peak memory and what the printer receives.

125 sample agreements (4 pages each) are laid out by ReportLab into one PDF; that is the floor
(the same pages written as a PDF without the print path). Then, in a fresh interpreter so its
memory is its own, the batch is opened in the real preview dialog (offscreen) and printed with
`PdfPreviewDialog.print_to` into a QPrinter writing a PDF file, as 打印到文件 does. Figures: the
print time, resident memory before, after 100 pages and at the end (the growth between shows
whether pages are held), the peak, the output's size and pages, the resolution of the page
images, and for information QtPdf's bare rendering of the same pages at 300 dpi (no paper, no
printer). `--gray` prints each page as an 8-bit grayscale image on white instead of 1 bit, the
straightforward fix measured for comparison.

`python -m benchmarks.print_batch [--pages N] [--gray]` runs it alone and prints JSON.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pypdf import PdfReader

TARGETS = {"print_500_pages_s": 90.0, "print_500_pages_peak_mb": 400.0,
           "print_500_pages_mb": 60.0}
PAGES = 500
AGREEMENT_PAGES = 4  # the sample agreement: two copies of two pages


def _rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as fh:
        pages = int(fh.read().split()[1])
    return round(pages * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


def _peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (2**20 if sys.platform == "darwin" else 2**10), 1)


def _gray_page(document: object, index: int, dpi: int) -> object:
    """The page on white as 8 bits per pixel (the comparison variant)."""
    from PySide6.QtCore import QSize, Qt
    from PySide6.QtGui import QImage, QPainter

    points = document.pagePointSize(index)  # type: ignore[attr-defined]
    size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
    sheet = QImage(size, QImage.Format.Format_Grayscale8)
    sheet.fill(Qt.GlobalColor.white)
    painter = QPainter(sheet)
    painter.drawImage(0, 0, document.render(index, size))  # type: ignore[attr-defined]
    painter.end()
    return sheet


def child(source: Path, out: Path, gray: bool) -> dict[str, object]:
    """In this process: open the preview of `source`, print it to `out` through print_to."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSize
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QApplication

    from app.ui.widgets import page_printer
    from app.ui.widgets.pdf_preview import PdfPreviewDialog

    app = QApplication.instance() or QApplication([])
    rss: dict[str, float] = {"start": _rss_mb()}
    made = page_printer.page_image if not gray else _gray_page
    count = 0

    def counted(document: object, index: int, dpi: int) -> object:
        nonlocal count
        count += 1
        if count in (100, 101):
            rss[f"page_{count}"] = _rss_mb()
        return made(document, index, dpi)  # type: ignore[arg-type]

    page_printer.page_image = counted  # type: ignore[assignment]
    dialog = PdfPreviewDialog(source, title="批量打印")
    dialog.show()
    app.processEvents()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    page_printer.match_paper(printer, dialog.document)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    rss["before"] = _rss_mb()
    start, cpu = time.perf_counter(), time.process_time()
    dialog.print_to(printer)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    rss["end"] = _rss_mb()
    peak = _peak_mb()

    document = dialog.document
    points = document.pagePointSize(0)
    size = QSize(round(points.width() * page_printer.PRINT_DPI / 72),
                 round(points.height() * page_printer.PRINT_DPI / 72))
    start, cpu_start = time.perf_counter(), time.process_time()
    for index in range(document.pageCount()):
        document.render(index, size)
    render_s, render_cpu = time.perf_counter() - start, time.process_time() - cpu_start
    dialog.close()
    return {"seconds": round(seconds, 2), "cpu_s": round(cpu, 2), "pages_drawn": count, "rss_mb": rss,
            "rss_growth_100_to_end_mb": round(rss["end"] - rss.get("page_100", rss["end"]), 1),
            "peak_rss_mb": peak, "render_only_s": round(render_s, 2),
            "render_only_cpu_s": round(render_cpu, 2)}


def _image_dpi(reader: PdfReader) -> float:
    page = reader.pages[0]
    resources: Any = page["/Resources"]
    images: list[Any] = [x.get_object() for x in resources.get("/XObject", {}).values()]
    widths = [int(x["/Width"]) for x in images if x["/Subtype"] == "/Image"]
    return round(max(widths, default=0) / (float(page.mediabox.width) / 72), 1)


def run(pages: int = PAGES, gray: bool = False) -> dict[str, object]:
    """The floor (ReportLab writes the batch) and the print path (a child process), as a dict."""
    from app.printing.agreement import render_agreement, render_agreements
    from app.printing.samples import sample_agreement

    render_agreement(sample_agreement(), io.BytesIO())  # fonts and templates loaded
    n = max(1, pages // AGREEMENT_PAGES)
    items = [sample_agreement(f"QY-622923104201-2024-{i:04d}") for i in range(n)]
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory(prefix="cunyi-print-batch-") as tmp:
        source, out = Path(tmp) / "batch.pdf", Path(tmp) / "printed.pdf"
        start, cpu = time.perf_counter(), time.process_time()
        render_agreements(items, source)
        floor_s, floor_cpu = time.perf_counter() - start, time.process_time() - cpu
        args = [sys.executable, "-m", "benchmarks.print_batch", "--child", str(source), str(out)]
        done = subprocess.run([*args, *(["--gray"] if gray else [])], cwd=root,
                              capture_output=True, text=True, check=True, timeout=3600)
        printed = json.loads(done.stdout.strip().splitlines()[-1])
        reader = PdfReader(out)
        result: dict[str, object] = {
            "variant": "8-bit gray" if gray else "1-bit",
            "pages": len(reader.pages),
            "source_pages": len(PdfReader(source).pages),
            "image_dpi": _image_dpi(reader),
            "print": printed,
            "output_mb": round(out.stat().st_size / 2**20, 1),
            "output_kb_per_page": round(out.stat().st_size / 1024 / len(reader.pages), 1),
            "floor_reportlab_s": round(floor_s, 2),
            "floor_reportlab_cpu_s": round(floor_cpu, 2),
            "source_mb": round(source.stat().st_size / 2**20, 2),
        }
    seconds = float(printed["seconds"])
    result["ms_per_page"] = round(seconds * 1000 / max(1, int(result["pages"])), 1)  # type: ignore[call-overload]
    result["ratio_to_floor"] = round(seconds / floor_s, 2) if floor_s else None
    # CPU time against CPU time: what stays put when other processes share the machine.
    result["cpu_ratio_to_floor"] = (round(float(printed["cpu_s"]) / floor_cpu, 2)
                                    if floor_cpu else None)
    result["targets"] = TARGETS
    return result


def check(result: dict[str, object]) -> dict[str, object]:
    """The batch's figures against TARGETS, in the shape benchmarks.run reports."""
    printed = result["print"]
    values = {"print_500_pages_s": printed["seconds"],  # type: ignore[index]
              "print_500_pages_peak_mb": printed["peak_rss_mb"],  # type: ignore[index]
              "print_500_pages_mb": result["output_mb"]}
    return {name: {"value": value, "target": TARGETS[name], "met": value <= TARGETS[name]}
            for name, value in values.items()}


def summary_line(result: dict[str, object]) -> str:
    p = result["print"]
    return (f"打印… {result['pages']} 页（{result['variant']}，{result['image_dpi']} dpi）："
            f"{p['seconds']:.1f} 秒（CPU {p['cpu_s']:.1f} 秒，每页 {result['ms_per_page']} ms），"  # type: ignore[index]
            f"输出 {result['output_mb']} MB；内存 峰值 {p['peak_rss_mb']} MB，"  # type: ignore[index]
            f"第100页后到结束增长 {p['rss_growth_100_to_end_mb']} MB；"  # type: ignore[index]
            f"下限 ReportLab 写同样的PDF {result['floor_reportlab_s']:.1f} 秒"
            f"（×{result['ratio_to_floor']}；CPU ×{result['cpu_ratio_to_floor']}），"
            f"QtPdf 只渲染 {p['render_only_s']:.1f} 秒")  # type: ignore[index]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.print_batch")
    p.add_argument("--pages", type=int, default=PAGES)
    p.add_argument("--gray", action="store_true", help="8-bit pages instead of 1-bit, to compare")
    p.add_argument("--child", nargs=2, type=Path, metavar=("SOURCE", "OUT"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child[0], args.child[1], args.gray)))
        return 0
    print(json.dumps(run(args.pages, args.gray), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
