"""The app's plugin registry: Lecture Studio's own importers, voices, image generators,
transitions and exporter, registered here (above the core) beside the plugins found on this
machine. The two faces (``cli``, ``gui``) take their registry from here and pass it into the
core; a core function given none uses its own built-ins only."""

from __future__ import annotations

import os
import threading

from .imagery import register_generators
from .importers import register_importers
from .narration.choose import register_engines
from .plugins import (
    NO_PLUGINS_ENV,
    PluginRegistrar,
    PluginRegistry,
    default_plugin_folders,
    user_settings_dir,
)
from .render.export import register_exporters
from .transitions import register_transitions


def register_builtins(registrar: PluginRegistrar) -> None:
    """Add every built-in contribution; heavy libraries load only when one is used."""
    register_importers(registrar)
    register_engines(registrar)
    register_generators(registrar)
    register_transitions(registrar)
    register_exporters(registrar)


def builtin_registry() -> PluginRegistry:
    """Every built-in contribution and no plugin."""
    return PluginRegistry.builtin_only(register_builtins)


_app: PluginRegistry | None = None
_app_lock = threading.Lock()
_plugins_enabled = True


def app_registry() -> PluginRegistry:
    """The registry of this run of the app: built-ins, and plugins unless turned off
    (``--no-plugins``, or ``LECTURE_STUDIO_NO_PLUGINS=1``)."""
    global _app
    with _app_lock:
        if _app is None:
            enabled = _plugins_enabled and os.environ.get(NO_PLUGINS_ENV, "") in ("", "0")
            _app = PluginRegistry(
                folders=default_plugin_folders() if enabled else (),
                entry_points=enabled,
                plugins_enabled=enabled,
                settings_dir=user_settings_dir(),
                builtins=register_builtins,
            )
        return _app


def set_plugins_enabled(enabled: bool) -> None:
    """Start (or not) with plugins: ``--no-plugins`` calls this with False before any lookup."""
    global _app, _plugins_enabled
    with _app_lock:
        _plugins_enabled = enabled
        _app = None


def set_app_registry(registry: PluginRegistry | None) -> None:
    """Use ``registry`` as the app's (tests; None: build the usual one again on first use)."""
    global _app
    with _app_lock:
        _app = registry
