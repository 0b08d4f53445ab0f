"""What the tests' stand-in narration engines share: their voices, always available."""

from __future__ import annotations

from lecture_studio.narration.voices import VoiceInfo


class StandInEngine:
    """The voice part of a stand-in engine: ``VOICES`` (id, BCP-47 language, name), by default
    one US English voice, "anna". A subclass names the engine (``name``) and says how it
    speaks (``synthesize``)."""

    name: str
    VOICES: tuple[tuple[str, str, str], ...] = (("anna", "en-US", "Anna"),)

    def voices(self) -> list[str]:
        return [voice for voice, _, _ in self.VOICES]

    def describe_voices(self) -> list[VoiceInfo]:
        return [
            VoiceInfo(self.name, voice, language, label) for voice, language, label in self.VOICES
        ]

    def available(self) -> bool:
        return True
