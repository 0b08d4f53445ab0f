"""What was heard in a slide's recording: its words with their times (plain data, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class TranscriptWord:
    """One heard word, ``start`` to ``end`` seconds into the recording. ``text`` is as the
    recognizer wrote it, with the space before it where the language puts one (" Hello"),
    so that the words joined end to end give the transcript in any language."""

    start: float
    end: float
    text: str


@dataclass
class Transcript:
    """The words heard in the recording ``recording`` (an asset name, so a transcript of an
    earlier take is never taken for the new one's), by ``model`` in ``language``."""

    recording: str
    model: str
    language: str
    words: list[TranscriptWord] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The transcript as running text (what "use the transcript as the script" copies)."""
        return " ".join("".join(word.text for word in self.words).split())

    def belongs_to(self, recording: str | None) -> bool:
        """Whether this transcript was made from the recording named ``recording``."""
        return bool(recording) and recording == self.recording
