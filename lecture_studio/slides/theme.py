"""The built-in renderer's look: themes read from ``resources/themes/NAME.json``."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field

from ..errors import InputError
from ..resources import resource_path


@dataclass(frozen=True)
class Theme:
    """Colours, font sizes (fractions of the slide height) and margins (fractions of the slide)."""

    name: str = "default"
    background: str = "#ffffff"
    title_color: str = "#1f2937"
    text_color: str = "#273142"
    accent_color: str = "#2563eb"
    muted_color: str = "#9ca3af"
    title_rule: bool = True
    margin_x: float = 0.06
    margin_y: float = 0.06
    title_height: float = 0.16
    title_gap: float = 0.04
    title_size: float = 0.075
    title_slide_size: float = 0.1
    body_size: float = 0.052
    table_size: float = 0.04
    min_size: float = 0.018
    line_spacing: float = 1.25
    paragraph_spacing: float = 0.45
    indent_per_level: float = 0.045
    level_scale: float = 0.88
    bullets: tuple[str, ...] = ("\u2022", "\u2013")
    table_header_fill: str = "#2563eb"
    table_header_text: str = "#ffffff"
    table_row_fills: tuple[str, ...] = ("#ffffff", "#eef2fb")
    table_border: str = "#c7cfdd"
    table_cell_padding: float = 0.012
    description: str = field(default="", compare=False)


def load_theme(name: str = "default") -> Theme:
    """The theme called ``name`` from the bundled themes; InputError when there is none."""
    path = resource_path("themes", f"{name}.json")
    if not name or "/" in name or "\\" in name or not path.is_file():
        raise InputError(
            f"There is no slide theme called {name!r}; choose the theme 'default' in the "
            "lecture's style settings."
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(
            f"The slide theme file {path} is damaged ({exc}); reinstall Lecture Studio."
        ) from exc
    known = {f.name for f in dataclasses.fields(Theme)}
    values = {key: value for key, value in data.items() if key in known}
    for key in ("bullets", "table_row_fills"):
        if key in values:
            values[key] = tuple(values[key])
    return Theme(**values)
