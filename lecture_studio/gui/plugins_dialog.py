"""The Plugins dialog: every plugin found, its version, source, status and what it provides."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from .workers import Worker


@dataclass(frozen=True)
class PluginRow:
    """One plugin as the dialog lists it (a copy: the registry's record may change later)."""

    name: str
    version: str
    source: str
    status: str
    error: str
    location: str
    contributions: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class PluginListing:
    """What ``lecture-studio plugins list`` prints, as data."""

    enabled: bool
    folders: tuple[tuple[str, bool], ...]  # (folder, exists)
    plugins: tuple[PluginRow, ...]


def list_plugins() -> PluginListing:
    """Find and import every plugin (runs plugin code, each import within the registry's time
    limit: call it off the GUI thread)."""
    from ..app import app_registry

    registry = app_registry()
    records = registry.plugins(load=True)
    rows = tuple(
        PluginRow(
            r.name,
            r.version,
            r.source,
            r.status,
            r.error,
            r.location,
            tuple(r.offered),
        )
        for r in records
    )
    folders = tuple((str(f), f.is_dir()) for f in registry.folders)
    return PluginListing(registry.plugins_enabled, folders, rows)


def _status_title(status: str) -> str:
    titles = {
        "loaded": QCoreApplication.translate("PluginsDialog", "Loaded"),
        "failed": QCoreApplication.translate("PluginsDialog", "Failed"),
        "disabled": QCoreApplication.translate("PluginsDialog", "Disabled"),
        "not loaded": QCoreApplication.translate("PluginsDialog", "Not loaded"),
        "importing": QCoreApplication.translate("PluginsDialog", "Loading"),
    }
    return titles.get(status, status)


def _source_title(source: str) -> str:
    titles = {
        "built-in": QCoreApplication.translate("PluginsDialog", "Built in"),
        "entry point": QCoreApplication.translate("PluginsDialog", "Installed package"),
        "folder": QCoreApplication.translate("PluginsDialog", "Plugin folder"),
    }
    return titles.get(source, source)


def _kind_title(kind: str) -> str:
    titles = {
        "importer": QCoreApplication.translate("PluginsDialog", "Importers"),
        "narration-engine": QCoreApplication.translate("PluginsDialog", "Voices"),
        "image-generator": QCoreApplication.translate("PluginsDialog", "Image generators"),
        "transition": QCoreApplication.translate("PluginsDialog", "Transitions"),
        "exporter": QCoreApplication.translate("PluginsDialog", "Exporters"),
    }
    return titles.get(kind, kind)


class PluginsDialog(QDialog):
    """Help > Plugins. The list is loaded by a Worker (loading imports each plugin); a plugin
    that failed or was turned off shows its one-sentence reason under its row."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pluginsDialog")
        self.setWindowTitle(self.tr("Plugins"))
        layout = QVBoxLayout(self)
        self.summary = QLabel(self.tr("Looking for plugins..."))
        self.summary.setObjectName("pluginsSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        self.tree = QTreeWidget()
        self.tree.setObjectName("pluginsTree")
        self.tree.setHeaderLabels(
            [self.tr("Plugin"), self.tr("Version"), self.tr("Source"), self.tr("Status")]
        )
        self.tree.setRootIsDecorated(True)
        self.tree.setWordWrap(True)
        layout.addWidget(self.tree, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 460)
        self.listing: PluginListing | None = None
        self.worker = Worker(lambda progress, cancel: list_plugins())
        self.worker.succeeded.connect(self._on_listed)
        self.worker.failed.connect(self._on_failed)
        self.worker.start()

    @property
    def loading(self) -> bool:
        return self.worker.running

    def _on_failed(self, message: str) -> None:
        if isValid(self):
            self.summary.setText(message)

    def _on_listed(self, listing: PluginListing) -> None:
        if not isValid(self):
            return  # closed before the list came
        self.listing = listing
        if not listing.enabled:
            self.summary.setText(
                self.tr(
                    "Plugins are turned off (--no-plugins); only Lecture Studio's own "
                    "importers, voices, transitions and exporters are in use."
                )
            )
        else:
            folders = "\n".join(
                f"  {folder}" + ("" if exists else self.tr("  (does not exist)"))
                for folder, exists in listing.folders
            )
            self.summary.setText(self.tr("Plugin folders searched:") + "\n" + folders)
        self.tree.clear()
        for row in listing.plugins:
            self._add_row(row)
        self.tree.expandAll()
        for column in range(3):
            self.tree.resizeColumnToContents(column)

    def _add_row(self, row: PluginRow) -> QTreeWidgetItem:
        item = QTreeWidgetItem(
            [row.name, row.version, _source_title(row.source), _status_title(row.status)]
        )
        item.setData(0, Qt.ItemDataRole.UserRole, row.name)
        self.tree.addTopLevelItem(item)
        details: list[str] = []
        if row.error:
            reason = self.tr("Why: {0}.").format(row.error[:1].upper() + row.error[1:])
            details.append(reason)
            item.setToolTip(3, reason)
        kinds: dict[str, list[str]] = {}
        for kind, name in row.contributions:
            kinds.setdefault(kind, []).append(name)
        for kind, names in kinds.items():
            details.append(f"{_kind_title(kind)}: {', '.join(names)}")
        if row.location and row.source != "built-in":
            details.append(self.tr("From {0}").format(row.location))
        for text in details:
            child = QTreeWidgetItem([text])
            child.setToolTip(0, text)
            item.addChild(child)
            child.setFirstColumnSpanned(True)
        return item

    def row_texts(self, name: str) -> list[str]:
        """The plugin's row and the lines under it, as shown (for tests and bug reports)."""
        for index in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(index)
            if item.text(0) == name:
                texts = [" | ".join(item.text(c) for c in range(4))]
                texts += [item.child(i).text(0) for i in range(item.childCount())]
                return texts
        return []
