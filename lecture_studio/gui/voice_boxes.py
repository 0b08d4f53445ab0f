"""The voice and language boxes of the slide properties and Lecture > Properties: what they list,
in which order, and how a stored voice id shows. The order and labels come from the core
(``narration.voices``); this module only turns them into combo box items."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox

from ..narration.choose import VoiceCatalog
from ..narration.voices import (
    known_languages,
    language_name,
    speaks_language,
    spoken_languages,
    voice_id,
    voice_label,
    voices_by_language,
)

SEPARATOR = "\x00separator"
"""Item data marking where a box draws a separator line."""

Item = tuple[str, str]  # (text shown, data: a stored voice id or language code; "" automatic)


def _tr(text: str) -> str:
    return QCoreApplication.translate("VoiceBoxes", text)


class ChoiceBox(QComboBox):
    """A combo box filled from a list of items, refilled only when the list changes (a voice
    box holds over a hundred voices, and the panel refreshes on every edit)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._items: list[Item] = []

    def set_items(self, items: list[Item]) -> None:
        """Show ``items``; an item whose data is ``SEPARATOR`` is a separator line."""
        if items == self._items:
            return
        self._items = list(items)
        self.clear()
        for text, data in items:
            if data == SEPARATOR:
                self.insertSeparator(self.count())
            else:
                self.addItem(text, data)

    def select(self, data: str) -> None:
        """Select the item holding ``data`` (the first item when none does)."""
        self.setCurrentIndex(max(0, self.findData(data)))


def language_items(catalog: VoiceCatalog | None, stored: str) -> list[Item]:
    """Every language by name: those an installed voice speaks, a separator, then the others
    marked "(no voice installed)"; before the voices are listed, all of them plainly. A stored
    code this list lacks is added, so it shows as it is."""
    if catalog is None:
        items = [(language_name(code), code) for code in known_languages()]
    else:
        spoken = spoken_languages(catalog.voices)
        no_voice = _tr("{0} (no voice installed)")
        items = [(language_name(code), code) for code in spoken]
        others = [code for code in known_languages() if code not in spoken]
        if spoken and others:
            items.append(("", SEPARATOR))
        items += [(no_voice.format(language_name(code)), code) for code in others]
    if stored and stored not in {data for _, data in items}:
        items.append((language_name(stored), stored))
    return items


def voice_items(catalog: VoiceCatalog | None, language: str) -> list[Item]:
    """Every installed voice by its label ("German — thorsten (neural)"): ``language``'s
    voices first, most natural first, then a separator and the other languages' by name."""
    if catalog is None:
        return []
    voices = voices_by_language(language, catalog.voices)
    own = [voice for voice in voices if speaks_language(voice, language)]
    items = [(voice_label(voice), voice_id(voice)) for voice in own]
    if own and len(own) < len(voices):
        items.append(("", SEPARATOR))
    return items + [(voice_label(voice), voice_id(voice)) for voice in voices[len(own) :]]


def shown_voice(
    catalog: VoiceCatalog | None, stored: str, items: list[Item]
) -> tuple[str, Item | None]:
    """The item data to select for a stored voice id, and an item to add for it when the box
    lacks one. An old raw id ("gmw/de") selects its voice's entry ("pyttsx3:gmw/de") without
    changing what the project stores; a voice not installed here is shown as stored."""
    if not stored:
        return "", None
    shown = stored
    if catalog is not None:
        found = catalog.find(stored)
        if found is not None and found.installed:
            shown = voice_id(found)
    if shown in {data for _, data in items}:
        return shown, None
    return shown, (_tr("{0} (not installed)").format(stored), shown)


def same_voice(catalog: VoiceCatalog | None, first: str | None, second: str | None) -> bool:
    """Whether two stored ids name the same voice ("gmw/de" and "pyttsx3:gmw/de" do)."""
    if first == second:
        return True
    if catalog is None or not first or not second:
        return False
    found = catalog.find(first)
    return found is not None and found == catalog.find(second)
