"""Autosave to a recovery bundle every few minutes, and finding one left by a crash."""

from __future__ import annotations

import json
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QStandardPaths, QTimer, Signal

from ..project import Project
from .document import LectureDocument, snapshot
from .workers import Worker

ORIGIN_FILE = "origin.json"
LOCK_FILE = ".lock"


def default_recovery_dir() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    return Path(base or Path.home() / ".local" / "share" / "lecture-studio") / "recovery"


@dataclass(frozen=True)
class Recovery:
    """A recovery bundle left by an editor that did not close cleanly."""

    bundle: Path
    original: Path | None  # where the lecture was saved, if it ever was
    title: str
    saved_at: float

    def restore(self) -> Project:
        """The recovered lecture as a new unsaved project (it never points into the bundle)."""
        recovered = Project.load(self.bundle)
        assets = {name: recovered.asset_bytes(name) for name in recovered.asset_names()}
        return Project(recovered.lecture, None, assets)

    def discard(self) -> None:
        shutil.rmtree(self.bundle, ignore_errors=True)


def find_recoveries(recovery_dir: Path) -> list[Recovery]:
    """Recovery bundles whose editor is gone (its lock is free), newest first."""
    found: list[Recovery] = []
    if not recovery_dir.is_dir():
        return found
    for bundle in recovery_dir.glob("*.lecture"):
        lock = QLockFile(str(bundle / LOCK_FILE))
        lock.setStaleLockTime(0)
        if not lock.tryLock(0):
            continue  # another editor is running and owns it
        lock.unlock()
        try:
            origin = json.loads((bundle / ORIGIN_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            origin = {}
        if not (bundle / "project.json").is_file():
            shutil.rmtree(bundle, ignore_errors=True)
            continue
        original = origin.get("original")
        found.append(
            Recovery(
                bundle,
                Path(original) if original else None,
                str(origin.get("title", "")),
                (bundle / "project.json").stat().st_mtime,
            )
        )
    return sorted(found, key=lambda r: r.saved_at, reverse=True)


class Autosaver(QObject):
    """Writes the open lecture to its own recovery bundle when it has unsaved changes.

    The bundle is locked while this editor runs, so another editor never offers to restore
    it; ``discard()`` removes it when the lecture is saved or closed cleanly.
    """

    saved = Signal(str)  # the bundle written
    failed = Signal(str)

    def __init__(
        self, document: LectureDocument, recovery_dir: Path, minutes: float, parent=None
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.bundle = recovery_dir / f"{uuid.uuid4().hex[:12]}.lecture"
        self._lock: QLockFile | None = None
        self._worker: Worker | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(max(1000, int(minutes * 60_000)))
        self.timer.timeout.connect(self.save_now)
        self.timer.start()

    def save_now(self) -> Worker | None:
        """Write the recovery bundle in the background if there is anything unsaved."""
        if not self.document.is_modified or self._worker is not None:
            return None
        copy = snapshot(self.document.project)
        original = self.document.project.path
        bundle = self.bundle
        self._take_lock()

        def job(progress, cancel) -> str:
            cancel.check()
            copy.save(bundle)  # assets already in the bundle are not written again
            origin = {"original": str(original) if original else "", "title": copy.lecture.title}
            (bundle / ORIGIN_FILE).write_text(json.dumps(origin), encoding="utf-8")
            return str(bundle)

        self._worker = Worker(job)
        self._worker.succeeded.connect(self.saved.emit)
        self._worker.failed.connect(self.failed.emit)
        self._worker.finished.connect(self._done)
        return self._worker.start()

    def _take_lock(self) -> None:
        if self._lock is None:
            self.bundle.mkdir(parents=True, exist_ok=True)
            self._lock = QLockFile(str(self.bundle / LOCK_FILE))
            self._lock.tryLock(0)

    def _done(self) -> None:
        self._worker = None

    def discard(self) -> None:
        """Remove the recovery bundle (after a save, or on a clean close)."""
        if self._worker is not None:
            self._worker.cancel()
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None
        shutil.rmtree(self.bundle, ignore_errors=True)
