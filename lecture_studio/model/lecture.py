"""The lecture document: plain dataclasses for a lecture and its slides, no I/O, no Qt."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Literal

from .transcript import Transcript

SourceKind = Literal["pptx", "outline", "blank"]
DurationMode = Literal["narration", "fixed"]
NarrationSource = Literal["tts", "recording"]
Placement = Literal["none", "background", "beside", "placeholder"]
SlideMotion = Literal["none", "ken-burns"]
MediaKind = Literal["video", "sound"]


def new_slide_id() -> str:
    """A short random id that stays with a slide through moves, saves and edits."""
    return uuid.uuid4().hex[:12]


@dataclass
class Box:
    """A rectangle in fractions of the slide (0..1), origin top-left."""

    left: float
    top: float
    width: float
    height: float


@dataclass
class Paragraph:
    """One line of body text; level 0 is a top-level bullet."""

    text: str
    level: int = 0
    bullet: bool = True


@dataclass
class TextBlock:
    """The text of one shape, its paragraphs in order."""

    paragraphs: list[Paragraph] = field(default_factory=list)
    box: Box | None = None


@dataclass
class Table:
    """Table text, row by row."""

    rows: list[list[str]] = field(default_factory=list)
    box: Box | None = None


@dataclass
class Picture:
    """A picture on the slide; ``asset`` names a file in the project's assets."""

    asset: str
    box: Box | None = None
    description: str = ""


DECK_VOLUME = 0.8  # the volume PowerPoint gives an inserted clip ("Medium", vol="80000")


@dataclass
class SlideMedia:
    """A video or sound placed on a slide (PowerPoint's Insert > Video / Audio).

    ``asset`` names its file in the project's assets. It plays ``seconds`` of the file from
    ``start`` seconds in (the deck's trim), a video inside ``box`` (over the poster frame the
    slide's picture has there); the slide stays up until it has played (0: it does not play).
    ``name`` is the shape's name in the deck.
    """

    asset: str
    kind: MediaKind = "video"
    box: Box | None = None
    start: float = 0.0
    seconds: float = 0.0
    name: str = ""
    # How the deck plays it (PowerPoint's Playback tab, read from ``<p:timing>``): its shape's
    # id, which a build step's ``plays`` names when the main sequence starts it (else it plays
    # once the slide is shown); its volume (``DECK_VOLUME``, PowerPoint's default, plays at the
    # lecture's loudness, others relative to it: 0.4 is 6 dB under it); how many times it
    # plays (0: over and over until the slide ends); the part of its picture shown (its
    # ``crop``, in fractions of the picture: None for all of it) and its flips.
    shape_id: int = 0
    volume: float = DECK_VOLUME
    plays: int = 1
    crop: Box | None = None
    flip_h: bool = False
    flip_v: bool = False


@dataclass
class SlideSource:
    """Where a slide came from: a slide of a deck (1-based index) or an outline block."""

    kind: SourceKind = "blank"
    path: str = ""
    index: int = 0


@dataclass
class DurationPolicy:
    """How long a slide stays: timed by its narration, or a fixed number of seconds.

    ``lead_in`` and ``tail`` override the lecture's timing when set.
    """

    mode: DurationMode = "narration"
    seconds: float = 5.0
    lead_in: float | None = None
    tail: float | None = None
    # The deck's own timing (PowerPoint's "advance after", ``advTm``), in seconds: a slide
    # without narration lasts this long instead of the lecture's default duration.
    advance_after: float | None = None


@dataclass
class TransitionSpec:
    """The transition from this slide into the next one."""

    kind: str = "cut"
    duration: float = 0.0


def default_transition() -> TransitionSpec:
    """What slides do where neither the deck nor the lecture sets a transition: a short
    crossfade, the least that keeps a viewer's eye from jumping (a cut is one choice away)."""
    return TransitionSpec("crossfade", 0.5)


@dataclass
class DeckTransition:
    """The transition into a slide as its deck sets it (PowerPoint's ``<p:transition>``).

    ``effect`` is the deck's own name for it ("push", "vortex", "morph"), ``transition`` the
    one of ours that draws it, and ``approximate`` says that ours only resembles it (the
    export lists those once).
    """

    effect: str = ""
    transition: TransitionSpec = field(default_factory=TransitionSpec)
    approximate: bool = False


BuildEffect = Literal["appear", "fade", "wipe", "fly"]
BuildTrigger = Literal["click", "auto"]


@dataclass
class BuildTarget:
    """What one build effect shows or hides: a shape of the deck slide (its ``cNvPr`` id) or
    some of its paragraphs (indices among the shape's ``a:p``, empty paragraphs counted)."""

    shape_id: int
    paragraphs: list[int] | None = None  # None: the whole shape


@dataclass
class BuildStep:
    """One step of a slide's build animation (PowerPoint's main sequence): what one click
    (``trigger`` "click"), or what runs by itself ("auto": "with" or "after previous"), makes
    appear (``shows``) and disappear (``hides``) and which videos and sounds it starts
    (``plays``, their shape ids), ``start`` seconds after its click (or after the slide is
    shown, for the steps before the first click): the effects that start together make one
    step, so an "after previous" effect is a step of its own, its start the end of the one
    before. ``effect`` is how the step's change is drawn (``direction``: where a wipe or
    fly-in comes from, "left", "right", "top", "bottom"), over ``duration`` seconds; ``text``
    is what it shows, to time it by the narration sentence that first mentions it."""

    trigger: BuildTrigger = "click"
    shows: list[BuildTarget] = field(default_factory=list)
    hides: list[BuildTarget] = field(default_factory=list)
    effect: BuildEffect = "appear"
    direction: str = ""
    duration: float = 0.0
    text: str = ""
    start: float = 0.0
    plays: list[int] = field(default_factory=list)


@dataclass
class NarrationSettings:
    """Where a slide's voice comes from; ``voice``/``rate`` override the lecture's.

    ``transcript`` holds what was heard in ``recording`` (captions follow its words); it is
    kept while the slide goes back to text-to-speech, and ignored once the recording changes.
    """

    source: NarrationSource = "tts"
    recording: str | None = None
    voice: str | None = None
    rate: float | None = None
    transcript: Transcript | None = None


@dataclass
class ImagerySpec:
    """Generated imagery for a slide: its prompt, placement and kept variants (asset names)."""

    prompt: str | None = None
    placement: Placement = "none"
    variants: list[str] = field(default_factory=list)
    chosen: int = -1


@dataclass
class Slide:
    """One slide of a lecture."""

    id: str = field(default_factory=new_slide_id)
    source: SlideSource = field(default_factory=SlideSource)
    title: str = ""
    body: list[TextBlock] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)
    script: str = ""
    notes: str = ""
    hidden: bool = False
    duration: DurationPolicy = field(default_factory=DurationPolicy)
    transition: TransitionSpec | None = None  # None: the deck's, else the lecture's default
    deck_transition: DeckTransition | None = None  # into this slide, as its deck sets it
    builds: list[BuildStep] = field(default_factory=list)  # the deck's build animation, in order
    narration: NarrationSettings = field(default_factory=NarrationSettings)
    imagery: ImagerySpec = field(default_factory=ImagerySpec)
    motion: SlideMotion | None = None  # None: the lecture's default motion (style.motion)
    placeholders: list[Box] = field(default_factory=list)  # empty picture placeholders (decks)
    media: list[SlideMedia] = field(default_factory=list)  # videos and sounds placed on it
    # The language the slide is spoken in (ISO 639-1, "de"); None: detected from its script,
    # else the lecture's. See ``model.slide_language``.
    language: str | None = None

    def bullet_texts(self) -> list[str]:
        """All body paragraphs' text, in order."""
        return [p.text for block in self.body for p in block.paragraphs if p.text.strip()]

    def shown_texts(self) -> list[str]:
        """Everything a viewer reads on the slide: title, body paragraphs, table cells."""
        cells = [cell for table in self.tables for row in table.rows for cell in row]
        return [t for t in (self.title, *self.bullet_texts(), *cells) if t.strip()]


@dataclass
class OutputSettings:
    """The video frame: size, frame rate and the colour around letterboxed slides."""

    width: int = 1920
    height: int = 1080
    fps: int = 30
    background: str = "#000000"


@dataclass
class TimingSettings:
    """Lecture-wide timing, in seconds."""

    lead_in: float = 0.5
    tail: float = 0.75
    default_duration: float = 5.0


@dataclass
class StyleSettings:
    """Lecture-wide look: renderer theme, imagery style and seed, voice defaults."""

    theme: str = "default"
    imagery_style: str = "flat illustration"
    negative_prompt: str = ""
    seed: int = 0
    imagery_generator: str = "diffusers"  # "diffusers" (a local model) or "procedural" (no model)
    imagery_model: str = "stabilityai/sd-turbo"  # a Hugging Face id, a folder or a .safetensors
    imagery_steps: int | None = None  # None: the model's own default (sd-turbo: 2)
    imagery_guidance: float | None = None  # None: the model's own default (sd-turbo: 0)
    voice: str | None = None
    rate: float = 1.0
    transition: TransitionSpec = field(default_factory=default_transition)
    # True: slides change as their deck sets (``Slide.deck_transition``), the others by
    # ``transition``; False: ``transition`` everywhere. A slide's own choice wins either way.
    deck_transitions: bool = True
    motion: SlideMotion = "none"  # "ken-burns": every slide moves, not only those that ask to
    reveal: bool = False  # bullets appear as the narration sentence introducing each starts
    # A slide without a script speaks its own title and bullets (a deck with no notes is not
    # a silent video); off by default, since a voice reading the slide aloud is not a lecture.
    narrate_slide_text: bool = False


@dataclass
class Lecture:
    """A whole lecture: its settings and ordered slides.

    ``slide_width``/``slide_height`` give the source aspect (inches for decks; 16x9 for outlines).
    """

    title: str = ""
    language: str = "en"
    slide_width: float = 13.333
    slide_height: float = 7.5
    output: OutputSettings = field(default_factory=OutputSettings)
    timing: TimingSettings = field(default_factory=TimingSettings)
    style: StyleSettings = field(default_factory=StyleSettings)
    slides: list[Slide] = field(default_factory=list)
    source_asset: str | None = None

    @property
    def aspect(self) -> float:
        return self.slide_width / self.slide_height if self.slide_height else 16 / 9

    def index_of(self, slide_id: str) -> int:
        """Position of the slide with this id; KeyError when it is not in the lecture."""
        for i, slide in enumerate(self.slides):
            if slide.id == slide_id:
                return i
        raise KeyError(slide_id)

    def slide(self, slide_id: str) -> Slide:
        return self.slides[self.index_of(slide_id)]

    def visible_slides(self) -> list[Slide]:
        return [s for s in self.slides if not s.hidden]


def narration_script(slide: Slide, lecture: Lecture) -> str:
    """What text-to-speech reads for ``slide`` (before ``speakable_text`` cleans it): its
    script; for a slide without one, its title and bullets, one per line, when the lecture
    narrates slide text (``style.narrate_slide_text``); else nothing.

    The export, the editor's estimates and the caption text all follow from this one rule.
    """
    if slide.script.strip() or not lecture.style.narrate_slide_text:
        return slide.script
    return "\n".join(t.strip() for t in (slide.title, *slide.bullet_texts()) if t.strip())
