"""Caption timings of a recorded slide: the words its transcript heard, at their times; without
a transcript of this recording, the slide's script shared over the recording by length."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Lecture, Slide, Transcript, TranscriptWord, narration_script, slide_language
from .cleanup import speakable_text, split_sentences
from .clip import TimedText, estimate_word_timings

WORD_TIMING_TRANSCRIPT = "transcript"  # NarrationClip.word_timing: heard by speech recognition

_SENTENCE_ENDS = ".!?。！？…"
_CLOSING = "\"'”’)]）」』"


def transcript_sentences(words: Sequence[TranscriptWord]) -> tuple[TimedText, ...]:
    """The transcript's sentences, each from its first word's start to its last word's end:
    a sentence ends with a word that ends in . ! ? (or 。！？), closing quotes aside."""
    sentences: list[TimedText] = []
    current: list[TranscriptWord] = []
    for word in words:
        current.append(word)
        if word.text.rstrip().rstrip(_CLOSING)[-1:] in tuple(_SENTENCE_ENDS):
            sentences.append(_sentence(current))
            current = []
    if current:
        sentences.append(_sentence(current))
    return tuple(sentence for sentence in sentences if sentence.text)


def _sentence(words: list[TranscriptWord]) -> TimedText:
    text = " ".join("".join(word.text for word in words).split())
    return TimedText(words[0].start, max(words[-1].end, words[0].start), text)


def transcript_words(transcript: Transcript) -> tuple[TimedText, ...]:
    """The transcript's words as timed text (the space before each dropped)."""
    return tuple(
        TimedText(word.start, max(word.end, word.start), word.text.strip())
        for word in transcript.words
        if word.text.strip()
    )


def script_sentences(script: str, seconds: float, language: str = "") -> tuple[TimedText, ...]:
    """The sentences of ``script`` (as a voice would read it) shared over ``seconds`` in
    proportion to their length: the captions of a recording nobody transcribed."""
    sentences = split_sentences(speakable_text(script), language)
    whole = TimedText(0.0, seconds, "")
    return estimate_word_timings(whole, [(sentence, len(sentence)) for sentence in sentences])


def recording_timings(
    lecture: Lecture, slide: Slide, seconds: float
) -> tuple[tuple[TimedText, ...], tuple[TimedText, ...], str]:
    """(sentences, words, word timing) of ``slide``'s recording, which lasts ``seconds``:
    from its transcript when it has one of this very recording, else its script's sentences
    shared over the recording (no word times)."""
    settings = slide.narration
    transcript = settings.transcript
    if transcript is not None and transcript.belongs_to(settings.recording) and transcript.words:
        words = tuple(word for word in transcript_words(transcript) if word.start < seconds)
        sentences = transcript_sentences(transcript.words)
        return sentences, words, WORD_TIMING_TRANSCRIPT
    script = narration_script(slide, lecture)
    return script_sentences(script, seconds, slide_language(lecture, slide)), (), ""


def untranscribed_slides(lecture: Lecture, slides: Sequence[Slide]) -> list[int]:
    """The numbers (1-based) of ``slides`` narrated by a recording that has no transcript."""
    return [
        lecture.index_of(slide.id) + 1
        for slide in slides
        if slide.narration.source == "recording"
        and slide.narration.recording
        and not (
            slide.narration.transcript is not None
            and slide.narration.transcript.belongs_to(slide.narration.recording)
        )
    ]


def untranscribed_note(numbers: Sequence[int]) -> str:
    """One sentence: these recorded slides have no transcript, so what their captions show,
    and how to transcribe them."""
    many = len(numbers) > 1
    which = f"Slides {', '.join(str(n) for n in numbers)} are" if many else f"Slide {numbers[0]} is"
    return (
        f"{which} recorded but not transcribed, so {'their' if many else 'its'} captions follow "
        "the typed script; run `lecture-studio narrate PROJECT.lecture --transcribe` to caption "
        "what was said."
    )
