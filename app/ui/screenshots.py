"""Screenshots of the real windows over a demo village: `python -m app.ui.screenshots OUTDIR`.

Runs offscreen in a throwaway data folder, with the Chinese translation installed, and writes
households.png, person.png, settings.png, packages.png, contracts.png, sign-dialog.png, first-run.png, sign-in.png, import-mapping.png,
worktable.png, followup-dialog.png, exams.png,
settlement.png and claim-dialog.png.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PIECES = (
    "app.demo",
    "app.storage.importer",
    "app.ui.main_window",
    "app.ui.pages.households",
    "app.ui.pages.person",
    "app.ui.pages.settings",
    "app.ui.dialogs.first_run",
    "app.ui.dialogs.sign_in",
    "app.ui.dialogs.import_wizard",
    "app.ui.pages.worktable",
    "app.ui.pages.exams",
    "app.ui.dialogs.followup_dialog",
    "app.ui.pages.claims",
    "app.ui.dialogs.claim_dialog",
)


class MissingPiece(RuntimeError):
    """A module the screenshots need is not there (or does not import)."""


def check_pieces() -> None:
    """Import every module the screenshots use; say which one is missing and why."""
    for name in PIECES:
        try:
            importlib.import_module(name)
        except ImportError as exc:
            raise MissingPiece(f"cannot take screenshots: {name} is missing ({exc})") from exc


def settle(runner: Any, seconds: float = 0.6) -> None:
    """Let queued work and repaints finish: background jobs, their results, layouts."""
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        QApplication.processEvents()
        runner.wait(2_000)
        QApplication.processEvents()
        time.sleep(0.02)


def wait_for(condition: Callable[[], bool], runner: Any, seconds: float = 10.0) -> None:
    """Process events until `condition` holds; RuntimeError after `seconds`."""
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError("timed out waiting for the window to be ready")
        QApplication.processEvents()
        runner.wait(200)
        time.sleep(0.02)


def _application() -> Any:
    from PySide6.QtWidgets import QApplication

    try:
        from app.ui.application import make_application
    except ImportError:
        existing = QApplication.instance()
        return existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    return make_application()


def clinic_screen() -> None:
    """Size every window as on the clinic PC: a 1366×768 screen less its taskbar."""
    from PySide6.QtCore import QRect

    from app.ui import screen_fit

    usable = screen_fit.USABLE
    screen_fit.available_area = lambda _widget=None: QRect(0, 0, usable.width(), usable.height())


def discard_edits_on_close() -> None:
    """The forms filled in for a picture are closed unsaved, without a question nobody answers."""
    from app.ui import unsaved

    unsaved.ask_discard = lambda _parent: True
    unsaved.ask_save = lambda _parent: unsaved.Answer.DISCARD


def fit_to_screen(window: Any, width: int, height: int) -> None:
    """The window at the size it takes on the clinic PC's screen."""
    from app.ui.screen_fit import fit_to_screen as fit

    fit(window, width, height)


def _show_page(window: Any, page: Any) -> None:
    window.nav.setCurrentRow(window.stack.indexOf(page))


def _a_full_household(ws: Any) -> str:
    """A person from a household of three or more (a better-looking file), else anyone."""
    ids = ws.households.ids()
    for hid in ids[:200]:
        members = ws.households.members(hid)
        if len(members) >= 3:
            return str(members[0].id)
    return str(ws.households.members(ids[0])[0].id)


def _a_mixed_household(ws: Any) -> str:
    """A household with a hypertensive adult and a child, whose packages differ by member."""
    today = dt.date.today()
    for hid in ws.households.ids()[:400]:
        members = ws.households.members(hid)
        ages = [(today - m.birth_date).days // 365 for m in members if m.birth_date]
        hypertensive = any(d.condition == "高血压" for m in members for d in ws.people.diagnoses(str(m.id)))
        if hypertensive and ages and min(ages) < 14:
            return str(hid)
    return str(ws.households.ids()[0])


def _contracts_shots(window: Any, runner: Any, save: Callable[[Any, str], None]) -> None:
    """The 签约 page, and the sign dialog with packages ticked per member by the fit rule."""
    from app.ui.dialogs.sign_dialog import SignDialog

    _show_page(window, window.contracts_page)
    settle(runner, 1.0)
    save(window, "contracts.png")
    dialog = SignDialog(window.ws, runner, _a_mixed_household(window.ws), parent=window)
    dialog.show()
    settle(runner, 0.6)
    save(dialog, "sign-dialog.png")
    dialog.close()


def _care_shots(window: Any, runner: Any, save: Callable[[Any, str], None]) -> None:
    """The 工作台, a follow-up being entered for a patient due today, and the exam list, at the
    1366×768 a clinic PC usually has."""
    from app.ui.dialogs.followup_dialog import FollowUpDialog

    fit_to_screen(window, 1366, 768)
    _show_page(window, window.worktable)
    window.worktable.refresh()
    wait_for(lambda: not window.worktable.loading, runner)
    settle(runner)
    lines = window.worktable.model.lines()
    due = next((ln for ln in lines if ln.form == "followup:高血压"), None)
    if due is not None:
        window.worktable.table.selectRow(lines.index(due))
    save(window, "worktable.png")

    if due is not None:
        dialog = FollowUpDialog(window.ws, window.runner, due.person_id, kind="高血压",
                                doctor=window.user.display_name, parent=window)
        dialog.show()
        wait_for(lambda: dialog.form is not None and not dialog.suggesting, runner)
        dialog.form.sbp.setText("152")
        dialog.form.dbp.setText("96")
        dialog.form.weight.setText("68.5")
        dialog.form.symptoms.set_values(["头痛头晕"])
        dialog.form.adherence.set_code("间断")
        dialog.refresh_suggestion()
        wait_for(lambda: not dialog.suggesting, runner)
        settle(runner, 0.3)
        save(dialog, "followup-dialog.png")
        dialog.close()

    _show_page(window, window.exams_page)
    window.exams_page.refresh()
    wait_for(lambda: not window.exams_page.searching, runner)
    window.exams_page.table.selectRow(0)
    settle(runner)
    save(window, "exams.png")


def _claims_shots(window: Any, runner: Any, save: Callable[[Any, str], None]) -> None:
    """报销结算 with the claim furthest below the county target selected, and a stay being typed
    from its slip (one line typed differently from the estimate), at 1366×768."""
    import datetime as dt

    from app.ui.dialogs.claim_dialog import ClaimDialog

    fit_to_screen(window, 1366, 768)
    page = window.claims_page
    _show_page(window, page)
    wait_for(lambda: not page.stale and not page.searching, runner)
    lines = page.model.lines()
    pick = next((i for i, x in enumerate(lines) if x.flagged and x.target_met is False), 0)
    if lines:
        page.table.selectRow(pick)
    settle(runner)
    save(window, "settlement.png")
    if not lines:
        return

    today = dt.date.today()
    admitted, discharged = today - dt.timedelta(days=21), today - dt.timedelta(days=12)
    poor = next((x for x in lines if "建档立卡" in x.categories),
                next((x for x in lines if "普通" not in x.categories), lines[pick]))
    dialog = ClaimDialog(window.ws, runner, person_id=poor.claim.person_id, parent=window)
    dialog.show()
    form = dialog.form
    form.hospital.setText("永靖县人民医院")
    form.settlement_no.setText(f"ZY{today.year}001288")
    form.admitted.set_date(admitted)
    form.discharged.set_date(discharged)
    form.diagnosis.setText("慢性阻塞性肺疾病急性加重")
    form.total.setText("18650.00")
    form.out_of_catalogue.setText("1120.00")
    dialog.refresh_estimate()
    wait_for(lambda: not dialog.estimating and dialog.latest is not None, runner)
    paid = [x for x in dialog.latest.settlement.layers if x.applies and x.amount and x.name in form.slip_fields]
    for line in paid:
        # The hospital paid the last layer 6 元 less than the estimate: the dialog flags it.
        form.slip_fields[line.name].setText(str(line.amount - (6 if line is paid[-1] else 0)))
    dialog.refresh_estimate()
    wait_for(lambda: not dialog.estimating, runner)
    settle(runner, 0.3)
    save(dialog, "claim-dialog.png")
    dialog.close()


def take(out: Path) -> list[Path]:
    """Build a demo village and save the screenshots into `out`; returns the files written."""
    check_pieces()
    from app.core.paths import resolve
    from app.demo import DEMO_USER, generate
    from app.storage.importer import export_workbook
    from app.storage.workspace import Workspace
    from app.ui.dialogs.first_run import FirstRunWizard
    from app.ui.dialogs.import_wizard import ImportWizard
    from app.ui.dialogs.sign_in import SignInDialog
    from app.ui.i18n import install_translators
    from app.ui.main_window import MainWindow
    from app.ui.tasks import TaskRunner

    out.mkdir(parents=True, exist_ok=True)
    clinic_screen()
    discard_edits_on_close()
    app = _application()
    install_translators(app, "zh_CN")
    written: list[Path] = []

    def save(widget: Any, name: str) -> None:
        path = out / name
        if not widget.grab().save(str(path)):
            raise RuntimeError(f"could not write {path}")
        written.append(path)

    with tempfile.TemporaryDirectory(prefix="cunyi-shots-") as tmp:
        os.environ["CUNYI_HOME"] = str(Path(tmp) / "home")
        paths = resolve()
        generate(paths.database, size="village", seed=7)
        ws = Workspace.open(paths.database)
        user = ws.users.authenticate(*DEMO_USER)
        runner = TaskRunner()
        window = MainWindow(ws, user, runner, paths)
        fit_to_screen(window, 1366, 768)
        window.show()
        settle(runner, 1.0)

        _show_page(window, window.households)
        settle(runner)
        person = ws.people.get(_a_full_household(ws))
        window.households.select_household(str(person.household_id))
        settle(runner, 1.0)
        save(window, "households.png")

        window.open_person(_a_full_household(ws))
        settle(runner, 1.0)
        save(window, "person.png")

        _show_page(window, window.settings_page)
        settle(runner)
        save(window, "settings.png")
        window.settings_page.tabs.setCurrentIndex(3)
        settle(runner)
        save(window, "packages.png")
        window.settings_page.tabs.setCurrentIndex(0)

        _contracts_shots(window, runner, save)
        _claims_shots(window, runner, save)
        fit_to_screen(window, 1366, 768)

        wizard = FirstRunWizard(resolve(Path(tmp) / "new"))
        clinic = wizard.clinic_page
        clinic.clinic_name.setText("东山村卫生室")
        clinic.division_code.setText("522323104201")
        clinic.village_name.setText("东山村")
        wizard.show()
        settle(runner, 0.3)
        save(wizard, "first-run.png")
        wizard.close()

        sign_in = SignInDialog(paths.database, username=DEMO_USER[0])   # still locked, as at start
        sign_in.show()
        settle(runner, 0.3)
        save(sign_in, "sign-in.png")
        sign_in.close()

        from app.ui.dialogs.recovery_key import RecoveryKeyDialog

        shown_once = RecoveryKeyDialog(ws.recovery_key(), window)
        shown_once.show()
        settle(runner, 0.3)
        save(shown_once, "recovery-key.png")
        shown_once.close()

        workbook = Path(tmp) / "贫困户花名册.xlsx"
        export_workbook(ws, workbook)
        importer = ImportWizard(ws, runner, window)
        importer.show()
        importer.file_page.set_file(workbook)
        wait_for(lambda: importer.file_page.isComplete(), runner)
        importer.next()
        settle(runner)
        save(importer, "import-mapping.png")
        importer.close()

        _care_shots(window, runner, save)

        window.close()
        runner.wait()
        ws.close()
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m app.ui.screenshots OUTDIR", file=sys.stderr)
        return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        files = take(Path(args[0]))
    except MissingPiece as exc:
        print(exc, file=sys.stderr)
        return 1
    for path in files:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
