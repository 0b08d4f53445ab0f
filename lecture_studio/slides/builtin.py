"""The built-in slide renderer: draws a slide's title, text, tables and pictures with Pillow.

Used for outline slides, and for deck slides when LibreOffice is not installed. Text is fitted to
its box by shrinking the font; Latin wraps at spaces, Chinese and Japanese between any characters
except where kinsoku forbids it (see ``linebreak``). A character the slide's face lacks (the "₂"
of CO₂, an arrow, an emoji) is drawn in the first face fontconfig lists that has it (``fallback``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image, ImageDraw, ImageOps

from ..errors import LectureStudioError, PictureError
from ..model import Box, Paragraph, Picture, Slide, Table, TextBlock
from ..pictures import open_picture
from ..project import Project
from ..text import breaks_anywhere
from .fallback import FallbackFont, describe_characters, face_chain, fallback_font
from .fonts import INSTALL_CJK_HINT, FontFace, FontFamily, font_family
from .framing import parse_color
from .linebreak import wrap_text
from .theme import Theme

Rect = tuple[float, float, float, float]  # left, top, width, height in pixels
PixelBox = tuple[int, int, int, int]  # left, top, right, bottom in whole pixels (exclusive)


@dataclass
class _Line:
    """One laid-out line of text: its text, where it starts and how big it is drawn."""

    text: str
    x: float
    size: int
    gap_before: float
    bullet: str = ""
    bullet_x: float = 0.0
    bold: bool = False
    paragraph: int = 0  # index of the paragraph the line belongs to


@dataclass(frozen=True)
class DrawnParagraph:
    """A body paragraph as drawn: the model paragraph and the pixels its bullet and text cover."""

    paragraph: Paragraph
    box: PixelBox


@dataclass
class SlideDrawing:
    """A drawn slide and where things landed on it, in pixels of ``image``.

    ``paragraphs``: every body paragraph drawn, in drawing order (a progressive reveal hides
    them); ``content``: the ink of the title, each text box, table and picture (an image placed
    beside the text avoids them, a background image's scrim is stronger behind them).
    """

    image: Image.Image
    paragraphs: list[DrawnParagraph] = field(default_factory=list)
    content: list[PixelBox] = field(default_factory=list)
    paper: tuple[int, int, int] = (255, 255, 255)  # the background colour: what hides text


def draw_slide(
    slide: Slide,
    project: Project,
    size: tuple[int, int],
    theme: Theme,
    warnings: list[str],
    number: int = 0,
) -> Image.Image:
    """``slide`` drawn on a canvas of ``size`` (the slide's own aspect, no bars).

    Problems that still leave a usable image (an unreadable picture, no CJK font) are appended
    to ``warnings`` as one sentence each; ``number`` (1-based) names the slide in them.
    """
    return draw_slide_layout(slide, project, size, theme, warnings, number).image


def draw_slide_layout(
    slide: Slide,
    project: Project,
    size: tuple[int, int],
    theme: Theme,
    warnings: list[str],
    number: int = 0,
) -> SlideDrawing:
    """Like ``draw_slide``, and also where each body paragraph and each piece of content was
    drawn (the same picture: the layout is recorded while drawing, never guessed)."""
    fonts = font_family(project.lecture.language or "ja")
    canvas = Image.new("RGB", size, parse_color(theme.background))
    painter = _SlidePainter(canvas, project, theme, fonts, warnings, number)
    painter.paint(slide)
    warnings.extend(_missing_glyph_warnings(slide, fonts, number))
    return painter.drawing


def _missing_glyph_warnings(slide: Slide, fonts: FontFamily, number: int) -> list[str]:
    """One sentence for Chinese or Japanese text no installed font draws, one for any other
    characters drawn as boxes (named, so the teacher can find them)."""
    text = _all_text(slide)
    chains = [face_chain(fonts.regular), face_chain(fonts.bold)]
    if not all(chain.known for chain in chains):  # fontconfig cannot say: judge by the face
        cjk_missing = not fonts.covers_cjk and any(breaks_anywhere(c) for c in text)
        others: set[str] = set()
    else:
        missing = set().union(*(chain.missing(text) for chain in chains))
        cjk_missing = any(breaks_anywhere(c) for c in missing)
        others = {c for c in missing if not breaks_anywhere(c)}
    warnings = []
    if cjk_missing:
        warnings.append(
            f"Slide {number} has Chinese or Japanese text but no CJK font is installed, so it "
            f"shows as boxes; {INSTALL_CJK_HINT}."
        )
    if others:
        warnings.append(
            f"Slide {number} has characters no installed font can draw "
            f"({describe_characters(others)}), so they show as boxes; install a font that has "
            "them (on Debian: apt-get install fonts-noto-core fonts-noto-color-emoji)."
        )
    return warnings


def _all_text(slide: Slide) -> str:
    cells = [cell for table in slide.tables for row in table.rows for cell in row]
    return " ".join([slide.title, *slide.bullet_texts(), *cells])


class _SlidePainter:
    """Lays out and draws one slide onto a canvas."""

    def __init__(
        self,
        canvas: Image.Image,
        project: Project,
        theme: Theme,
        fonts: FontFamily,
        warnings: list[str],
        number: int,
    ) -> None:
        self.canvas = canvas
        self.draw = ImageDraw.Draw(canvas)
        self.project = project
        self.theme = theme
        self.fonts = fonts
        self.warnings = warnings
        self.number = number
        self.width, self.height = canvas.size
        self.drawing = SlideDrawing(canvas, paper=parse_color(theme.background))

    # --- layout of the whole slide ------------------------------------------------------------
    def paint(self, slide: Slide) -> None:
        t = self.theme
        mx, my = t.margin_x * self.width, t.margin_y * self.height
        loose_blocks = [b for b in slide.body if b.box is None and _has_text(b)]
        loose_tables = [tb for tb in slide.tables if tb.box is None and tb.rows]
        loose_pictures = [p for p in slide.pictures if p.box is None]
        has_content = bool(
            [b for b in slide.body if _has_text(b)] or slide.tables or slide.pictures
        )
        if slide.title.strip() and not has_content:
            # A title slide: the title a little above the middle, as in PowerPoint's layout.
            box = (mx, 0.18 * self.height, self.width - 2 * mx, 0.5 * self.height)
            self.text_box(
                [Paragraph(slide.title, 0, False)],
                box,
                t.title_slide_size,
                t.title_color,
                bold=True,
                align="center",
                valign="middle",
            )
            return
        top = my
        if slide.title.strip():
            title_top, title_h = my, t.title_height * self.height
            rule = t.title_rule
            boxed_top = _highest_box_top(slide) * self.height
            if boxed_top < my + title_h + t.title_gap * self.height:
                # Placed shapes (from a deck) start high: the title takes the room above them.
                title_top = min(my, 0.02 * self.height)
                title_h = max(0.06 * self.height, boxed_top - title_top - 0.01 * self.height)
                rule = False
            self.text_box(
                [Paragraph(slide.title, 0, False)],
                (mx, title_top, self.width - 2 * mx, title_h),
                t.title_size,
                t.title_color,
                bold=True,
                valign="middle",
            )
            if rule:
                rule_y = my + title_h + 0.01 * self.height
                rule_w = max(2, round(0.004 * self.height))
                self.draw.rectangle(
                    (mx, rule_y, mx + 0.12 * self.width, rule_y + rule_w),
                    fill=parse_color(t.accent_color),
                )
            top = title_top + title_h + t.title_gap * self.height
        region = (mx, top, self.width - 2 * mx, self.height - my - top)
        media = [*loose_tables, *loose_pictures]
        text_region, media_region = region, region
        if loose_blocks and media:
            gap = 0.03 * self.width
            text_w = 0.55 * (region[2] - gap)
            text_region = (region[0], region[1], text_w, region[3])
            media_region = (
                region[0] + text_w + gap,
                region[1],
                region[2] - text_w - gap,
                region[3],
            )
        if loose_blocks:
            paragraphs: list[Paragraph] = []
            for block in loose_blocks:
                paragraphs.extend(p for p in block.paragraphs if p.text.strip())
            self.text_box(paragraphs, text_region, t.body_size, t.text_color, body=True)
        if media:
            share = media_region[3] / len(media)
            gap = 0.02 * self.height if len(media) > 1 else 0.0
            for i, item in enumerate(media):
                cell = (media_region[0], media_region[1] + i * share, media_region[2], share - gap)
                self._draw_media(item, cell)
        for block in slide.body:
            if block.box is not None and _has_text(block):
                paragraphs = [p for p in block.paragraphs if p.text.strip()]
                self.text_box(
                    paragraphs, self.rect(block.box), t.body_size, t.text_color, body=True
                )
        for table in slide.tables:
            if table.box is not None and table.rows:
                self.table(table, self.rect(table.box))
        for picture in slide.pictures:
            if picture.box is not None:
                self.picture(picture, self.rect(picture.box))

    def rect(self, box: Box) -> Rect:
        return (
            box.left * self.width,
            box.top * self.height,
            box.width * self.width,
            box.height * self.height,
        )

    def _draw_media(self, item: Table | Picture, cell: Rect) -> None:
        if isinstance(item, Table):
            self.table(item, cell)
        else:
            self.picture(item, cell)

    # --- text ---------------------------------------------------------------------------------
    def text_box(
        self,
        paragraphs: list[Paragraph],
        box: Rect,
        size_fraction: float,
        color: str,
        bold: bool = False,
        align: str = "left",
        valign: str = "top",
        body: bool = False,
    ) -> None:
        """Draws paragraphs in ``box``, shrinking the font until they fit; records where their
        ink went (and, for ``body`` text, each paragraph's box)."""
        left, top, width, height = box
        if width <= 1 or height <= 1 or not paragraphs:
            return
        extents: dict[int, list[float]] = {}  # paragraph -> left, top, right, bottom
        lines, total = self.fit_paragraphs(paragraphs, width, height, size_fraction, bold)
        y = top + (height - total) / 2 if valign == "middle" else top
        y = max(top, y) if total <= height else top
        ink = parse_color(color)
        accent = parse_color(self.theme.accent_color)
        for line in lines:
            y += line.gap_before
            line_h = line.size * self.theme.line_spacing
            baseline = y + (line_h - line.size) / 2 + 0.88 * line.size
            font = self.font(line.bold, line.size)
            x = left + line.x
            if align == "center":
                x = left + (width - font.getlength(line.text)) / 2
            ink_left = left + line.bullet_x if line.bullet else x
            ink_right = x + font.getlength(line.text)
            ext = extents.setdefault(line.paragraph, [ink_left, y, ink_right, y + line_h])
            ext[0], ext[2] = min(ext[0], ink_left), max(ext[2], ink_right)
            ext[3] = y + line_h
            if line.bullet:
                font.draw(self.canvas, (left + line.bullet_x, baseline), line.bullet, accent)
            font.draw(self.canvas, (x, baseline), line.text, ink)
            y += line_h
        self._record_text(paragraphs, lines, extents, body)

    def _record_text(
        self,
        paragraphs: list[Paragraph],
        lines: list[_Line],
        extents: dict[int, list[float]],
        body: bool,
    ) -> None:
        """Pixel boxes of the drawn paragraphs, padded to cover glyphs that overhang their
        advance and descenders below the line, but never into the gap's far half."""
        if not extents:
            return
        size = {line.paragraph: line.size for line in lines}
        boxes = []
        for index, (left, top, right, bottom) in sorted(extents.items()):
            pad = 0.12 * size[index]
            boxes.append(
                (
                    max(0, int(left - pad)),
                    max(0, int(top - pad)),
                    min(self.width, int(right + pad) + 1),
                    min(self.height, int(bottom + 1.5 * pad) + 1),
                )
            )
            if body:
                self.drawing.paragraphs.append(DrawnParagraph(paragraphs[index], boxes[-1]))
        self.drawing.content.append(
            (
                min(b[0] for b in boxes),
                min(b[1] for b in boxes),
                max(b[2] for b in boxes),
                max(b[3] for b in boxes),
            )
        )

    def fit_paragraphs(
        self,
        paragraphs: list[Paragraph],
        width: float,
        height: float,
        size_fraction: float,
        bold: bool,
    ) -> tuple[list[_Line], float]:
        """The lines of ``paragraphs`` at the largest size (down to the minimum) that fits."""
        size = size_fraction * self.height
        smallest = max(6.0, self.theme.min_size * self.height)
        while True:
            lines = self.layout_paragraphs(paragraphs, width, int(round(size)), bold)
            total = sum(line.gap_before + line.size * self.theme.line_spacing for line in lines)
            widest = max((line.x + self._width_of(line) for line in lines), default=0.0)
            if (total <= height and widest <= width) or size <= smallest:
                return lines, total
            size = max(smallest, size * 0.92)

    def layout_paragraphs(
        self, paragraphs: list[Paragraph], width: float, size: int, bold: bool
    ) -> list[_Line]:
        t = self.theme
        lines: list[_Line] = []
        for number, paragraph in enumerate(paragraphs):
            level = max(0, min(paragraph.level, 8))
            p_size = max(1, int(round(size * max(0.6, t.level_scale**level))))
            font = self.font(bold, p_size)
            indent = level * t.indent_per_level * self.width
            bullet = t.bullets[level % len(t.bullets)] if paragraph.bullet and t.bullets else ""
            text_x = indent + (1.1 * p_size if bullet else 0.0)
            wrapped = wrap_text(paragraph.text, font.getlength, max(1.0, width - text_x))
            gap = t.paragraph_spacing * p_size if number else 0.0
            for i, text in enumerate(wrapped):
                lines.append(
                    _Line(
                        text=text,
                        x=text_x,
                        size=p_size,
                        gap_before=gap if i == 0 else 0.0,
                        bullet=bullet if i == 0 else "",
                        bullet_x=indent,
                        bold=bold,
                        paragraph=number,
                    )
                )
        return lines

    def _width_of(self, line: _Line) -> float:
        return self.font(line.bold, line.size).getlength(line.text)

    def font(self, bold: bool, size: int) -> FallbackFont:
        """The slide's face (bold or regular) at ``size`` pixels, with per-character fallback."""
        face: FontFace = self.fonts.bold if bold else self.fonts.regular
        return fallback_font(face, size)

    # --- tables -------------------------------------------------------------------------------
    def table(self, table: Table, box: Rect) -> None:
        """A grid of equal columns; the first row is the header; rows take their text's height."""
        t = self.theme
        left, top, width, height = box
        n_cols = max((len(row) for row in table.rows), default=0)
        if n_cols == 0 or width <= 1 or height <= 1:
            return
        rows = [row + [""] * (n_cols - len(row)) for row in table.rows]
        pad = t.table_cell_padding * self.height
        col_w = width / n_cols
        size = min(t.table_size * self.height, 0.6 * height / len(rows))
        smallest = max(6.0, t.min_size * self.height * 0.8)
        while True:
            cells, heights = self._layout_table(rows, col_w - 2 * pad, int(round(size)))
            total = sum(h + 2 * pad for h in heights)
            if total <= height or size <= smallest:
                break
            size = max(smallest, size * 0.92)
        size = int(round(size))
        border = parse_color(t.table_border)
        y = top
        for r, row_cells in enumerate(cells):
            row_h = heights[r] + 2 * pad
            if r == 0 and len(rows) > 1:
                fill, ink, bold = t.table_header_fill, t.table_header_text, True
            else:
                fills = t.table_row_fills or (t.background,)
                fill, ink, bold = fills[r % len(fills)], t.text_color, False
            self.draw.rectangle((left, y, left + width, y + row_h), fill=parse_color(fill))
            font = self.font(bold, size)
            for c, lines in enumerate(row_cells):
                line_y = y + pad
                for text in lines:
                    baseline = line_y + (size * t.line_spacing - size) / 2 + 0.88 * size
                    font.draw(
                        self.canvas, (left + c * col_w + pad, baseline), text, parse_color(ink)
                    )
                    line_y += size * t.line_spacing
            y += row_h
        line_w = max(1, round(0.0015 * self.height))
        self._record_content(left, top, left + width, y)
        for c in range(n_cols + 1):
            x = left + c * col_w
            self.draw.line((x, top, x, y), fill=border, width=line_w)
        row_y = top
        for r in range(len(rows) + 1):
            self.draw.line((left, row_y, left + width, row_y), fill=border, width=line_w)
            if r < len(rows):
                row_y += heights[r] + 2 * pad

    def _layout_table(
        self, rows: list[list[str]], cell_width: float, size: int
    ) -> tuple[list[list[list[str]]], list[float]]:
        line_h = size * self.theme.line_spacing
        cells: list[list[list[str]]] = []
        heights: list[float] = []
        for r, row in enumerate(rows):
            font = self.font(r == 0, size)
            wrapped = [wrap_text(cell, font.getlength, max(1.0, cell_width)) for cell in row]
            cells.append(wrapped)
            heights.append(max(len(lines) for lines in wrapped) * line_h)
        return cells, heights

    # --- pictures -----------------------------------------------------------------------------
    def picture(self, picture: Picture, box: Rect) -> None:
        """The picture scaled to fit inside ``box`` (aspect kept), centred in it."""
        left, top, width, height = box
        if width < 1 or height < 1:
            return
        what = f"A picture on slide {self.number} ({picture.description or picture.asset})"
        try:
            # The header is checked before anything is decoded: a project may come from anyone.
            with open_picture(self.project.asset_bytes(picture.asset), "it") as source:
                image = ImageOps.exif_transpose(source).convert("RGBA")
        except PictureError as exc:
            self.warnings.append(f"{what} was left out: {exc.message}")
            self._missing_picture(picture, box)
            return
        except Exception as exc:  # damaged pixel data fails in any of Pillow's decoders
            reason = exc.message if isinstance(exc, LectureStudioError) else "it is damaged"
            self.warnings.append(
                f"{what} could not be drawn ({reason.rstrip('.')}); "
                "replace it with a PNG or JPEG image."
            )
            self._missing_picture(picture, box)
            return
        scale = min(width / image.width, height / image.height)
        fit = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        image = image.resize(fit, Image.Resampling.LANCZOS)
        position = (round(left + (width - fit[0]) / 2), round(top + (height - fit[1]) / 2))
        self.canvas.paste(image, position, image)
        self._record_content(position[0], position[1], position[0] + fit[0], position[1] + fit[1])

    def _record_content(self, left: float, top: float, right: float, bottom: float) -> None:
        self.drawing.content.append(
            (
                max(0, int(left)),
                max(0, int(top)),
                min(self.width, int(right) + 1),
                min(self.height, int(bottom) + 1),
            )
        )

    def _missing_picture(self, picture: Picture, box: Rect) -> None:
        left, top, width, height = box
        muted = parse_color(self.theme.muted_color)
        self._record_content(left, top, left + width, top + height)
        self.draw.rectangle(
            (left, top, left + width, top + height),
            outline=muted,
            width=max(1, round(0.002 * self.height)),
        )
        if picture.description:
            inner = (left + 0.05 * width, top, 0.9 * width, height)
            self.text_box(
                [Paragraph(picture.description, 0, False)],
                inner,
                self.theme.table_size,
                self.theme.muted_color,
                align="center",
                valign="middle",
            )


def _highest_box_top(slide: Slide) -> float:
    """The top of the highest placed shape, as a fraction of the slide (1.0 when none is)."""
    boxes = [b.box for b in slide.body if b.box is not None and _has_text(b)]
    boxes += [tb.box for tb in slide.tables if tb.box is not None]
    boxes += [p.box for p in slide.pictures if p.box is not None]
    return min((box.top for box in boxes), default=1.0)


def _has_text(block: TextBlock) -> bool:
    return any(p.text.strip() for p in block.paragraphs)
