"""What the tests' stand-in narration engines share: one US English voice, always available."""

from __future__ import annotations

from lecture_studio.narration.voices import VoiceInfo


class OneVoiceEngine:
    """The voice part of a stand-in engine: "anna", US English. A subclass names the engine
    (``name``) and says how it speaks (``synthesize``)."""

    name: str

    def voices(self) -> list[str]:
        return ["anna"]

    def describe_voices(self) -> list[VoiceInfo]:
        return [VoiceInfo(self.name, "anna", "en-US", "Anna")]

    def available(self) -> bool:
        return True
