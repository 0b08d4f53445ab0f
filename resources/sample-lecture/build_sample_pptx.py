"""Builds the sample lecture from the text below: sample-lecture.pptx, sample-lecture.md, diagram.

Run from anywhere: ``python resources/sample-lecture/build_sample_pptx.py``. The deck and the
Markdown outline are written from the same slide texts, so they always say the same thing.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from PIL import Image, ImageDraw, ImageFont
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

HERE = Path(__file__).resolve().parent
DECK = HERE / "sample-lecture.pptx"
OUTLINE = HERE / "sample-lecture.md"
DIAGRAM = HERE / "images" / "photosynthesis-diagram.png"

SLIDE_WIDTH, SLIDE_HEIGHT = Inches(13.333), Inches(7.5)
JAPANESE_FONT = "Yu Gothic"
GREEN = RGBColor(0x1B, 0x5E, 0x20)
GREEN_HEX = "#1B5E20"


@dataclass
class SlideText:
    """What one slide says: title, bullets or a subtitle, an optional table or picture, notes."""

    title: str
    notes: str
    bullets: list[str] = field(default_factory=list)
    subtitle: str = ""
    table: list[list[str]] = field(default_factory=list)
    picture: Path | None = None
    picture_description: str = ""
    japanese: bool = False


SLIDES = [
    SlideText(
        title="Photosynthesis: How Plants Turn Light into Food",
        subtitle="A short introduction for secondary school students",
        notes=(
            "Welcome to this short lecture on photosynthesis, the process that keeps almost "
            "every living thing on our planet supplied with food and oxygen. Over the next few "
            "minutes we will see how a plant captures the energy of sunlight and stores it in "
            "sugar. By the end, you will be able to explain where the oxygen we breathe comes "
            "from, and what can speed the process up or slow it down."
        ),
    ),
    SlideText(
        title="Why Photosynthesis Matters",
        bullets=[
            "It feeds almost every food chain on Earth",
            "It puts oxygen into the air we breathe",
            "It removes carbon dioxide from the atmosphere",
            "Coal and oil are sunlight stored by ancient plants",
        ],
        notes=(
            "Photosynthesis is the starting point of almost every food chain: the energy in "
            "your breakfast was sunlight a few months ago. It also releases the oxygen in the "
            "air and pulls carbon dioxide out of the atmosphere. Even coal and oil are the "
            "remains of plants and algae that captured sunlight hundreds of millions of years "
            "ago, so when we burn them we release that old sunlight, and that old carbon, "
            "again."
        ),
    ),
    SlideText(
        title="What Goes In, What Comes Out",
        bullets=[
            "In: light, carbon dioxide, water",
            "Out: glucose (a sugar), oxygen",
            "6 CO₂ + 6 H₂O → C₆H₁₂O₆ + 6 O₂",
        ],
        picture=DIAGRAM,
        picture_description="A leaf takes in light, CO₂ and water and gives out glucose and O₂",
        notes=(
            "A leaf takes in three things: light from the sun, carbon dioxide from the air, "
            "and water from the roots. It gives out two: glucose, a sugar the plant uses to "
            "live and grow, and oxygen, which escapes through tiny pores in the leaf. As an "
            "equation, six molecules of carbon dioxide and six of water make one molecule of "
            "glucose and six of oxygen, and every atom that goes in comes out again somewhere "
            "on the right-hand side."
        ),
    ),
    SlideText(
        title="Inside the Chloroplast",
        bullets=[
            "Chloroplasts are the green parts of leaf cells",
            "Chlorophyll absorbs red and blue light and reflects green",
            "Thylakoid membranes: the light reactions",
            "Stroma, the fluid around them: the Calvin cycle",
        ],
        notes=(
            "Photosynthesis happens inside chloroplasts, small green structures packed into "
            "the cells of a leaf. Their colour comes from chlorophyll, a pigment that absorbs "
            "red and blue light and reflects green. Each chloroplast has two working areas: "
            "stacks of flattened sacs called thylakoid membranes, where light is captured, and "
            "the fluid around them, called the stroma, where sugar is built."
        ),
    ),
    SlideText(
        title="Two Stages, Side by Side",
        table=[
            ["", "Light reactions", "Calvin cycle"],
            ["Where", "Thylakoid membranes", "Stroma"],
            ["Needs", "Light and water", "CO₂, ATP and NADPH"],
            ["Makes", "ATP, NADPH and oxygen", "Glucose"],
        ],
        notes=(
            "The light reactions happen in the thylakoid membranes. They use light to split "
            "water, which releases oxygen, and they store the energy in two carrier "
            "molecules, ATP and NADPH. The Calvin cycle, in the stroma, spends that ATP and "
            "NADPH to build sugar from carbon dioxide taken in from the air. So the oxygen we "
            "breathe comes from water, not from carbon dioxide, which surprises many people."
        ),
    ),
    SlideText(
        title="What Limits the Rate?",
        bullets=[
            "Light intensity",
            "Carbon dioxide concentration",
            "Temperature: the Calvin cycle runs on enzymes",
            "The scarcest factor sets the pace",
        ],
        notes=(
            "How fast can a plant make sugar? It depends on the light intensity, on how much "
            "carbon dioxide is available, and on the temperature, because the Calvin cycle is "
            "run by enzymes. Whichever factor is in shortest supply sets the pace, which is "
            "why some greenhouse growers add carbon dioxide to the air, and why plants grow "
            "slowly in the cold even when the sun is shining brightly."
        ),
    ),
    SlideText(
        title="まとめ：光合成のしくみ",
        bullets=[
            "光・二酸化炭素・水から、糖と酸素をつくる",
            "葉の細胞の中の葉緑体で行われる",
            "明反応：光で水を分解し、酸素を出す",
            "カルビン回路：二酸化炭素から糖をつくる",
        ],
        japanese=True,
        notes=(
            "ここで、日本語でまとめます。光合成は、植物が光のエネルギーを使って、二酸化炭素と"
            "水から糖と酸素をつくるはたらきで、葉の細胞の中にある葉緑体で行われます。明反応では"
            "光の力で水が分解されて酸素が出され、カルビン回路ではそのエネルギーを使って二酸化"
            "炭素から糖がつくられます。私たちが吸っている酸素は、もともと水の中にあったものなの"
            "です。"
        ),
    ),
    SlideText(
        title="Check Your Understanding",
        bullets=[
            "Where does the oxygen released by plants come from?",
            "Why do most leaves look green?",
            "Why does a plant make less sugar on a cloudy day?",
        ],
        notes=(
            "Before we finish, try these three questions to check that the main ideas have "
            "stuck. Pause the video, write down your answers in a sentence or two each, and "
            "then check them against the slides, especially the table of the two stages. "
            "Thank you for watching, and see you in the next lecture."
        ),
    ),
]


# ----------------------------------------------------------------------------------------------
# The diagram


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for candidate in (name, f"/usr/share/fonts/truetype/dejavu/{name}"):
        try:
            return ImageFont.truetype(candidate, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def _arrow(
    draw: ImageDraw.ImageDraw, start: tuple[int, int], end: tuple[int, int], colour: str
) -> None:
    draw.line([start, end], fill=colour, width=9)
    (x0, y0), (x1, y1) = start, end
    length = max(((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5, 1.0)
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    head = [
        (x1 + ux * 10, y1 + uy * 10),
        (x1 - ux * 26 - uy * 18, y1 - uy * 26 + ux * 18),
        (x1 - ux * 26 + uy * 18, y1 - uy * 26 - ux * 18),
    ]
    draw.polygon(head, fill=colour)


def draw_diagram(path: Path) -> None:
    """A leaf taking in light, CO₂ and water and giving out glucose and O₂ (800 x 600 PNG)."""
    image = Image.new("RGB", (800, 600), "white")
    draw = ImageDraw.Draw(image)
    label, small = _font(36, bold=True), _font(30)
    # the sun, top left
    draw.ellipse((40, 30, 170, 160), fill="#FDD835", outline="#F9A825", width=6)
    for dx, dy in ((0, -1), (1, 0), (0, 1), (-1, 0), (0.7, 0.7), (-0.7, 0.7), (0.7, -0.7)):
        cx, cy = 105 + dx * 85, 95 + dy * 85
        draw.line((105 + dx * 70, 95 + dy * 70, cx, cy), fill="#F9A825", width=7)
    # the leaf, centre: a pointed ellipse with a midrib and veins
    draw.polygon(
        [(230, 330), (300, 240), (420, 200), (560, 230), (640, 320), (560, 410), (420, 440),
         (300, 410)],
        fill="#66BB6A",
        outline=GREEN_HEX,
        width=6,
    )  # fmt: skip
    draw.line((230, 330, 640, 320), fill=GREEN_HEX, width=5)
    for x in (330, 420, 510):
        draw.line((x, 327, x + 50, 250), fill=GREEN_HEX, width=3)
        draw.line((x, 327, x + 50, 395), fill=GREEN_HEX, width=3)
    draw.text((435, 330), "leaf", font=small, fill="white", anchor="mt")
    # what goes in
    _arrow(draw, (175, 165), (300, 255), "#F9A825")
    draw.text((250, 150), "light", font=label, fill="#E65100", anchor="lb")
    _arrow(draw, (30, 330), (215, 330), "#546E7A")
    draw.text((30, 310), "CO₂", font=label, fill="#37474F", anchor="lb")
    _arrow(draw, (420, 585), (420, 455), "#1E88E5")
    draw.text((440, 560), "H₂O (from the roots)", font=small, fill="#1565C0", anchor="lm")
    # what comes out
    _arrow(draw, (600, 250), (760, 120), "#00897B")
    draw.text((770, 160), "O₂", font=label, fill="#00695C", anchor="rt")
    _arrow(draw, (620, 380), (770, 470), "#8E24AA")
    draw.text((785, 490), "glucose", font=label, fill="#6A1B9A", anchor="rt")
    path.parent.mkdir(parents=True, exist_ok=True)
    image.quantize(colors=32, dither=Image.Dither.NONE).save(path, optimize=True)


# ----------------------------------------------------------------------------------------------
# The deck


def _widen_template(presentation: Presentation) -> None:
    """Stretch the default 4:3 template's master and layouts across the 16:9 slide."""
    scale = SLIDE_WIDTH / presentation.slide_width
    presentation.slide_width, presentation.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    shapes = list(presentation.slide_master.shapes)
    for layout in presentation.slide_layouts:
        shapes += list(layout.placeholders)
    for shape in shapes:
        if shape.left is not None and shape.width is not None:
            shape.left, shape.width = Emu(int(shape.left * scale)), Emu(int(shape.width * scale))


def _style_runs(paragraph, size: Pt, japanese: bool, bold: bool = False) -> None:
    for run in paragraph.runs:
        run.font.size = size
        run.font.bold = bold or None
        if japanese:
            run.font.name = JAPANESE_FONT
            properties = run._r.get_or_add_rPr()
            east_asian = properties.find(qn("a:ea"))
            if east_asian is None:
                east_asian = etree.SubElement(properties, qn("a:ea"))
                properties.find(qn("a:latin")).addnext(east_asian)
            east_asian.set("typeface", JAPANESE_FONT)


def _place(shape, left: float, top: float, width: float, height: float) -> None:
    shape.left, shape.top = Inches(left), Inches(top)
    shape.width, shape.height = Inches(width), Inches(height)


def _set_title(slide, text: SlideText) -> None:
    title = slide.shapes.title
    title.text = text.title
    _place(title, 0.6, 0.35, 12.1, 1.25)
    for paragraph in title.text_frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
        _style_runs(paragraph, Pt(40), text.japanese, bold=True)
        for run in paragraph.runs:
            run.font.color.rgb = GREEN


def _set_bullets(placeholder, text: SlideText, width: float) -> None:
    _place(placeholder, 0.8, 1.85, width, 5.1)
    frame = placeholder.text_frame
    frame.word_wrap = True
    for index, bullet in enumerate(text.bullets):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.text = bullet
        paragraph.space_after = Pt(18)
        _style_runs(paragraph, Pt(24 if text.picture else 28), text.japanese)


def _add_table(slide, rows: list[list[str]]) -> None:
    shape = slide.shapes.add_table(len(rows), len(rows[0]), Inches(0.8), Inches(2.0),
                                   Inches(11.7), Inches(0.9) * len(rows))  # fmt: skip
    table = shape.table
    table.columns[0].width = Inches(2.1)
    table.columns[1].width = table.columns[2].width = Inches(4.8)
    for row_index, row in enumerate(rows):
        table.rows[row_index].height = Inches(0.9)
        for column_index, value in enumerate(row):
            cell = table.cell(row_index, column_index)
            cell.text = value
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            for paragraph in cell.text_frame.paragraphs:
                header = row_index == 0 or column_index == 0
                _style_runs(paragraph, Pt(24), japanese=False, bold=header)


def build_deck(path: Path) -> None:
    """Write the sample deck, drawing its diagram first."""
    draw_diagram(DIAGRAM)
    presentation = Presentation()
    _widen_template(presentation)
    title_layout, content_layout, title_only = (presentation.slide_layouts[i] for i in (0, 1, 5))
    for text in SLIDES:
        if text.subtitle:
            slide = presentation.slides.add_slide(title_layout)
            _set_title(slide, text)
            _place(slide.shapes.title, 0.9, 2.0, 11.5, 2.0)
            subtitle = slide.placeholders[1]
            subtitle.text = text.subtitle
            _place(subtitle, 0.9, 4.2, 11.5, 1.2)
            for paragraph in subtitle.text_frame.paragraphs:
                paragraph.alignment = PP_ALIGN.LEFT
                _style_runs(paragraph, Pt(28), text.japanese)
        elif text.table:
            slide = presentation.slides.add_slide(title_only)
            _set_title(slide, text)
            _add_table(slide, text.table)
        else:
            slide = presentation.slides.add_slide(content_layout)
            _set_title(slide, text)
            _set_bullets(slide.placeholders[1], text, 6.2 if text.picture else 11.9)
            if text.picture:
                slide.shapes.add_picture(
                    str(text.picture), Inches(7.0), Inches(1.9), width=Inches(5.9)
                ).name = text.picture_description
        slide.notes_slide.notes_text_frame.text = text.notes
    presentation.core_properties.title = SLIDES[0].title
    presentation.core_properties.author = "Lecture Studio developers"
    presentation.save(str(path))


# ----------------------------------------------------------------------------------------------
# The Markdown outline


def outline_text() -> str:
    """The lecture as a Markdown outline: one heading per slide, narration in comments."""
    parts = []
    for number, text in enumerate(SLIDES):
        block = [("# " if number == 0 else "## ") + text.title]
        if text.subtitle:
            block.append(text.subtitle)
        if text.bullets:
            block.append("\n".join(f"- {bullet}" for bullet in text.bullets))
        if text.table:
            header, *rows = text.table
            lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
            lines += ["| " + " | ".join(row) + " |" for row in rows]
            block.append("\n".join(lines))
        if text.picture:
            relative = text.picture.relative_to(HERE).as_posix()
            block.append(f"![{text.picture_description}]({relative})")
        # Japanese has no spaces to wrap at: a line break inside a word would reach the narration
        notes = text.notes if text.japanese else "\n".join(textwrap.wrap(text.notes, 96))
        block.append(f"<!--\n{notes}\n-->")
        parts.append("\n\n".join(block))
    return "\n\n".join(parts) + "\n"


if __name__ == "__main__":
    build_deck(DECK)
    OUTLINE.write_text(outline_text(), encoding="utf-8")
    print(f"wrote {DECK.name} ({DECK.stat().st_size // 1024} KiB), {OUTLINE.name}, {DIAGRAM.name}")
