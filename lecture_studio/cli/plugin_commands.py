"""``lecture-studio plugins list``, the global ``--no-plugins`` flag, and export through a
plugin's exporter."""

from __future__ import annotations

import argparse
import sys

from ..app import app_registry, set_plugins_enabled
from ..jobs import CancelToken
from ..plugins import KINDS, PLUGIN_IMPORT_LIMIT_S
from .arguments import add_subcommand
from .progress import TerminalProgress


def add_plugin_commands(sub: argparse._SubParsersAction, epilog: str) -> None:
    """Add ``plugins list`` to the CLI's subcommands."""
    help_text = (
        "Show the plugins found, what each provides, and any that failed to load or did not "
        f"finish loading within {PLUGIN_IMPORT_LIMIT_S:g} s."
    )

    parser = add_subcommand(sub, "plugins", help_text, epilog)
    actions = parser.add_subparsers(dest="plugins_command", metavar="ACTION", required=True)
    listing = actions.add_parser(
        "list", help="list plugins, their version, status and contributions", epilog=epilog
    )
    listing.set_defaults(run=cmd_plugins_list)


def add_no_plugins_flag(parser: argparse.ArgumentParser) -> None:
    """The global ``--no-plugins`` flag (before the command)."""
    parser.add_argument(
        "--no-plugins",
        action="store_true",
        help="start without any plugin: only Lecture Studio's own importers, voices, "
        "transitions and exporters (also LECTURE_STUDIO_NO_PLUGINS=1)",
    )


def apply_no_plugins(args: argparse.Namespace) -> None:
    """Turn plugins off for this run when ``--no-plugins`` was given."""
    if getattr(args, "no_plugins", False):
        set_plugins_enabled(False)


def cmd_plugins_list(args: argparse.Namespace, cancel: CancelToken) -> int:
    registry = app_registry()
    # Import each one (side by side, each within the import limit), so failures show here.
    records = registry.plugins(load=True)
    if not registry.plugins_enabled:
        print("Plugins are turned off (--no-plugins); only the built-in ones are listed.")
    else:
        print("Plugin folders searched:")
        for folder in registry.folders:
            print(f"  {folder}{'' if folder.is_dir() else '  (does not exist)'}")
    print()
    for record in records:
        print(f"{record.name} {record.version}  [{record.source}]  {record.status}")
        if record.location and record.source != "built-in":
            print(f"  from {record.location}")
        if record.error:
            print(f"  {'disabled' if record.status == 'disabled' else 'failed'}: {record.error}")
        for kind in KINDS:
            names = [name for k, name in record.offered if k == kind]
            if names:
                print(f"  {kind}: {', '.join(names)}")
    failed = [r.name for r in records if r.status in ("failed", "disabled")]
    if failed:
        print(
            f"\n{len(failed)} plugin{'s' * (len(failed) != 1)} not in use: {', '.join(failed)};"
            " Lecture Studio works without them.",
            file=sys.stderr,
        )
    return 0


def export_with_plugin(args: argparse.Namespace, cancel: CancelToken) -> int:
    """``export`` to a file that is not an MP4: the plugin exporter that takes its suffix."""
    from ..loading import open_path
    from ..render.formats import exporter_for

    registry = app_registry()
    exporter = exporter_for(args.output, registry).exporter  # the lookup the editor uses
    progress = TerminalProgress(args.quiet)
    project = open_path(args.path, cancel=cancel, registry=registry)
    files = registry.call(exporter, project, args.output, progress, cancel)
    progress.done()
    if not args.quiet:
        print(f"Wrote {args.output} with the {exporter.plugin} plugin's {exporter.name} exporter")
        for path in files[1:]:
            print(f"  and {path.name}")
    return 0
