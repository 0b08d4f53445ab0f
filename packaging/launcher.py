"""The bundle's entry point: ``lecture-studio-gui`` (or ``lecture-studio --gui``) opens the
editor; ``lecture-studio ARGS`` is the command line."""

from __future__ import annotations

import multiprocessing
import sys
from pathlib import Path


def main() -> int:
    multiprocessing.freeze_support()
    args = sys.argv[1:]
    wants_gui = Path(sys.argv[0]).stem.lower().endswith("-gui")
    if args[:1] == ["--gui"]:
        wants_gui, args = True, args[1:]
    if wants_gui:
        from lecture_studio.gui import main as gui_main

        return gui_main(args)
    from lecture_studio.cli import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
