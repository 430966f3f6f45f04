"""The behaviour of the list import dialog: the file read off the GUI thread, the dry run sent
to the server (again whenever the supervisor changes the column mapping), the import once they
confirm, and the report saved as CSV. Every call runs on the net executor; the file is read
once and its bytes kept, so each preview and the import send the very file that was checked."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog

from agent_app.outbound.import_reasons import report_csv, report_rows, save_report_csv
from agent_app.outbound.views.list_import import ListImportDialog
from agent_app.shell.error_text import error_text
from agent_app.shell.taskman import TaskManager, op
from common.texts import language
from sync.api_client import ApiClient, AuthError

log = logging.getLogger(__name__)
FILE_FILTER = "CSV / Excel (*.csv *.txt *.xlsx);;CSV (*.csv *.txt);;Excel (*.xlsx)"


class ListImportController(QObject):
    previewed = Signal()
    imported = Signal(dict)  # the final report
    failed = Signal(str)
    session_expired = Signal()

    def __init__(
        self,
        taskman: TaskManager,
        client: ApiClient,
        campaign: dict[str, Any],
        dialog: ListImportDialog,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.taskman = taskman
        self.client = client
        self.campaign = campaign
        self.dialog = dialog
        self.path = ""
        self.data: bytes | None = None
        self._seq = 0
        dialog.choose_file_requested.connect(self.choose_file)
        dialog.preview_requested.connect(lambda: self.preview(dialog.mapping()))
        dialog.import_requested.connect(self.run_import)
        dialog.save_report_requested.connect(self.save_report)
        dialog.finished.connect(lambda _r: self._closed())

    def _closed(self) -> None:
        self._seq += 1  # late replies are for a dialog that is gone
        self.data = None

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self.dialog, self.tr("Choose the list to import"), "", FILE_FILTER
        )
        if path:
            self.open_file(path)

    def open_file(self, path: str) -> None:
        """Read `path` (on the net executor, with the dry run that follows) and preview it."""
        self.path = path
        self.data = None
        self.dialog.set_file(path)
        self._dry_run(None, read=True)

    def preview(self, mapping: dict[str, str] | None) -> None:
        self._dry_run(mapping, read=False)

    def _dry_run(self, mapping: dict[str, str] | None, read: bool) -> None:
        self._seq += 1
        seq, client, campaign_id, path = self._seq, self.client, self.campaign["id"], self.path
        known = self.data
        self.dialog.set_busy(True, self.tr("Checking the file…"))

        def run() -> tuple[bytes, dict[str, Any]]:
            data = Path(path).read_bytes() if read or known is None else known
            preview = client.import_preview(campaign_id, Path(path).name, data, mapping)
            return data, preview.model_dump()

        op(run).success(lambda result: self._previewed(seq, *result)).failure(
            lambda exc: self._failed(seq, exc)
        ).run(self.taskman, executor="net")

    def _previewed(self, seq: int, data: bytes, preview: dict[str, Any]) -> None:
        if seq != self._seq:
            return
        self.data = data
        self.dialog.set_preview(preview, report_rows(preview.get("report") or {}, language()))
        self.previewed.emit()

    def run_import(self) -> None:
        data = self.data
        if data is None or self.dialog.mapping_changed():
            return
        self._seq += 1
        seq, client, campaign_id = self._seq, self.client, self.campaign["id"]
        mapping, name = self.dialog.mapping(), Path(self.path).name
        self.dialog.set_busy(True, self.tr("Importing…"))
        op(lambda: client.import_list(campaign_id, name, data, mapping).model_dump()).success(
            lambda report: self._imported(seq, report)
        ).failure(lambda exc: self._failed(seq, exc)).run(self.taskman, executor="net")

    def _imported(self, seq: int, report: dict[str, Any]) -> None:
        if seq != self._seq:
            return
        self.dialog.set_final_report(report, report_rows(report, language()))
        self.imported.emit(report)

    def _failed(self, seq: int, exc: BaseException) -> None:
        if seq != self._seq:
            return
        log.info("list import failed: %s", exc)
        message = (
            self.tr("The file cannot be read: %1").replace("%1", str(exc))
            if isinstance(exc, OSError)
            else error_text(exc)
        )
        self.dialog.show_error(message)
        self.failed.emit(message)
        if isinstance(exc, AuthError):
            self.session_expired.emit()

    def save_report(self) -> None:
        rows = self.dialog.rows
        if not rows:
            return
        suggested = str(Path(self.path).with_name(Path(self.path).stem + "-report.csv"))
        target, _filter = QFileDialog.getSaveFileName(
            self.dialog, self.tr("Save the report"), suggested, "CSV (*.csv)"
        )
        if target:
            self.write_report(target)

    def write_report(self, target: str) -> None:
        text = report_csv(self.dialog.rows, language())
        dialog = self.dialog
        op(lambda: save_report_csv(target, text)).success(
            lambda _r: dialog.set_busy(False, self.tr("Report saved to %1.").replace("%1", target))
        ).failure(lambda exc: dialog.show_error(error_text(exc))).run(self.taskman)
