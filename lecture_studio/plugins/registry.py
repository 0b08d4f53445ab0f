"""The plugin registry: finds plugins (entry points, plugin folders) by their metadata alone,
imports each on a time-limited worker when first needed, and answers "which
importer/engine/generator/transition/exporter is called X"."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import logging
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

from ..errors import LectureStudioError
from .interfaces import (
    EXPORTER,
    IMAGE_GENERATOR,
    IMPORTER,
    KINDS,
    NARRATION_ENGINE,
    PLUGIN_API_VERSION,
    SUPPORTED_API_VERSIONS,
    TRANSITION,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "lecture_studio.plugins"
MANIFEST_FILE = "plugin.toml"
BUILTIN_NAME = "lecture-studio"
#: Set to 1 to start without any plugin (the same as ``--no-plugins``).
NO_PLUGINS_ENV = "LECTURE_STUDIO_NO_PLUGINS"
#: Extra plugin folders, separated like PATH, searched before the default ones.
PLUGIN_PATH_ENV = "LECTURE_STUDIO_PLUGIN_PATH"
#: Seconds a plugin's import and ``register()`` may take before it is disabled. Its thread
#: cannot be stopped (Python has no way to kill one): it is left to finish or hang as a daemon,
#: and nothing waits for it again.
PLUGIN_IMPORT_LIMIT_S = 10.0

PluginSource = Literal["built-in", "entry point", "folder"]
PluginStatus = Literal["not loaded", "importing", "loaded", "failed", "disabled"]


class PluginError(LectureStudioError):
    """A plugin could not be loaded or failed while doing its job."""


@dataclass(frozen=True)
class PluginManifest:
    """What a plugin declares in its ``plugin.toml``: read without importing the plugin.

    ``provides`` maps a kind to the names the plugin adds of it (its ``[provides]`` table): a
    lookup by name imports only the plugin that declares the name, and ``plugins list`` can
    show them unimported. A kind without names there is imported whenever its kind is asked.
    """

    name: str
    version: str
    api_version: int
    kinds: tuple[str, ...]
    description: str = ""
    settings: Mapping[str, Any] = field(default_factory=dict)
    provides: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def declares(self, kind: str) -> bool:
        """Whether the names this plugin adds of ``kind`` are listed in its metadata."""
        return kind in self.provides


@dataclass
class _Import:
    """One plugin's import on its worker thread: set ``done`` when it ends, with the
    contributions its ``register()`` added or the error that stopped it."""

    deadline: float  # time.monotonic() after which it counts as hung
    done: threading.Event = field(default_factory=threading.Event)
    added: list[Contribution] | None = None
    error: BaseException | None = None


@dataclass
class PluginRecord:
    """One plugin as the registry knows it: where it came from and how loading went."""

    name: str
    source: PluginSource
    location: str
    manifest: PluginManifest | None = None
    status: PluginStatus = "not loaded"
    error: str = ""  # one sentence when failed or disabled
    contributions: list[tuple[str, str]] = field(default_factory=list)  # (kind, name)
    _load: Callable[[], ModuleType] | None = field(default=None, repr=False)
    _import: _Import | None = field(default=None, repr=False)

    @property
    def version(self) -> str:
        return self.manifest.version if self.manifest else "?"

    @property
    def kinds(self) -> tuple[str, ...]:
        return self.manifest.kinds if self.manifest else ()

    @property
    def declared(self) -> list[tuple[str, str]]:
        """The (kind, name) pairs its metadata lists, known without importing it."""
        provides = self.manifest.provides if self.manifest else {}
        return [(kind, name) for kind in KINDS for name in provides.get(kind, ())]

    @property
    def offered(self) -> list[tuple[str, str]]:
        """What it adds: what its ``register()`` added once imported; until then, what its
        metadata declares; nothing once it failed or was disabled."""
        if self.status == "loaded":
            return list(self.contributions)
        return self.declared if self.usable else []

    @property
    def usable(self) -> bool:
        """Not yet imported, or importing: it may still provide what it declares."""
        return self.status in ("not loaded", "importing")


@dataclass(frozen=True)
class Contribution:
    """One thing a plugin (or Lecture Studio itself) provides: an object of kind ``kind``."""

    kind: str
    name: str
    plugin: str
    obj: Any  # the factory or function; see interfaces.py for each kind
    suffixes: tuple[str, ...] = ()  # importers and exporters: the file name endings they take
    description: str = ""

    @property
    def builtin(self) -> bool:
        return self.plugin == BUILTIN_NAME


class PluginRegistrar:
    """What a plugin's ``register(registrar)`` receives: add the contributions it declared.

    ``settings`` holds the plugin's ``[settings]`` from its ``plugin.toml``, overridden by the
    user's ``<config>/plugins/<name>.toml``.
    """

    def __init__(self, manifest: PluginManifest, settings: Mapping[str, Any]) -> None:
        self.manifest = manifest
        self.settings: Mapping[str, Any] = dict(settings)
        self.added: list[Contribution] = []

    def add_importer(
        self, name: str, suffixes: Iterable[str], import_file: Callable[..., Any], description=""
    ) -> None:
        """``import_file(path, progress, cancel) -> Project`` for files ending in ``suffixes``."""
        self._add(IMPORTER, name, import_file, _suffixes(suffixes), description)

    def add_narration_engine(self, name: str, factory: Callable[[], Any], description="") -> None:
        """``factory() -> NarrationEngine``; a voice written ``NAME:VOICE`` selects it."""
        self._add(NARRATION_ENGINE, name, factory, (), description)

    def add_image_generator(self, name: str, factory: Callable[..., Any], description="") -> None:
        """``factory(lecture, model, device) -> ImageGenerator``."""
        self._add(IMAGE_GENERATOR, name, factory, (), description)

    def add_transition(self, name: str, factory: Callable[..., Any], description="") -> None:
        """``factory(duration=..., [easing=...]) -> Transition``."""
        self._add(TRANSITION, name, factory, (), description)

    def add_exporter(
        self, name: str, suffixes: Iterable[str], export: Callable[..., Any], description=""
    ) -> None:
        """``export(project, destination, progress, cancel) -> list[Path]`` for ``suffixes``."""
        self._add(EXPORTER, name, export, _suffixes(suffixes), description)

    def _add(
        self, kind: str, name: str, obj: Any, suffixes: tuple[str, ...], description: str
    ) -> None:
        if kind not in self.manifest.kinds:
            raise PluginError(f"adds a {kind} but its plugin.toml does not list {kind!r} in kinds")
        if not isinstance(name, str) or not name.strip() or ":" in name:
            raise PluginError(f"adds a {kind} with the unusable name {name!r}")
        if not callable(obj):
            raise PluginError(f"adds the {kind} {name!r} with something that cannot be called")
        if kind in (IMPORTER, EXPORTER) and not suffixes:
            raise PluginError(f"adds the {kind} {name!r} without any file suffix")
        self.added.append(Contribution(kind, name, self.manifest.name, obj, suffixes, description))


def _suffixes(suffixes: Iterable[str]) -> tuple[str, ...]:
    if isinstance(suffixes, str):
        suffixes = [suffixes]
    return tuple(s.lower() if s.startswith(".") else f".{s.lower()}" for s in suffixes)


class PluginRegistry:
    """Built-in contributions plus those of plugins, each plugin imported when first needed.

    Discovery (listing entry points and reading ``plugin.toml`` files) happens on the first
    question and runs no plugin code. A plugin is imported only when a question concerns a name
    it declares, or a kind it declares without names, and the answer is not among the built-ins.
    Each import runs on its own daemon thread with ``import_limit`` seconds to finish; several
    needed at once run side by side, so one question waits at most one limit, and the built-ins
    never wait. A plugin that hangs, fails to import, targets another plugin API or breaks the
    rules is marked failed or disabled with a one-sentence reason, and the app goes on
    without it.
    """

    def __init__(
        self,
        folders: Iterable[Path] = (),
        entry_points: bool = True,
        plugins_enabled: bool = True,
        settings_dir: Path | None = None,
        builtins: Callable[[PluginRegistrar], None] | None = None,
        import_limit: float = PLUGIN_IMPORT_LIMIT_S,
    ) -> None:
        self.folders = [Path(f) for f in folders]
        self.entry_points = entry_points
        self.plugins_enabled = plugins_enabled
        self.settings_dir = settings_dir
        self.import_limit = import_limit
        self._builtins = builtins
        # Guards the records and contributions; never held while plugin code runs or while
        # a question waits for an import.
        self._lock = threading.RLock()
        self._records: list[PluginRecord] | None = None
        self._contributions: dict[tuple[str, str], Contribution] = {}

    @classmethod
    def builtin_only(cls, builtins: Callable[[PluginRegistrar], None]) -> PluginRegistry:
        """A registry of what ``builtins`` adds and nothing else: what a core function uses
        when its caller passes no registry."""
        return cls(entry_points=False, plugins_enabled=False, builtins=builtins)

    # --- questions ------------------------------------------------------------------------------

    def names(self, kind: str) -> list[str]:
        """Every name of ``kind``: built-ins first, then plugins' (declared names without an
        import; plugins that declare the kind without names are imported)."""
        _check_kind(kind)
        self._load_records(self._undeclared(kind))
        with self._lock:
            names = [name for (k, name) in self._contributions if k == kind]
            for record in self._records or []:
                if record.usable:
                    names += [n for k, n in record.declared if k == kind and n not in names]
        return names

    def contributions(self, kind: str) -> list[Contribution]:
        """Every contribution of ``kind``, importing each plugin that declares the kind."""
        _check_kind(kind)
        self._load_kind(kind)
        with self._lock:
            return [c for (k, _), c in self._contributions.items() if k == kind]

    def find(self, kind: str, name: str) -> Contribution | None:
        """The contribution of ``kind`` called ``name``: a built-in without any import, else
        the plugin that declares the name (only it is imported), else the plugins that declare
        the kind without names."""
        _check_kind(kind)
        self._discover()
        found = self._contributions.get((kind, name))
        if found is not None:
            return found
        with self._lock:
            declaring = [r for r in self._records or [] if r.usable and (kind, name) in r.declared]
        self._load_records(declaring[:1] or self._undeclared(kind))
        return self._contributions.get((kind, name))

    def find_for_suffix(self, kind: str, suffix: str) -> Contribution | None:
        """The importer or exporter that takes files ending in ``suffix`` (built-ins first)."""
        suffix = suffix.lower()
        self._discover()
        for loaded_plugins in (False, True):
            if loaded_plugins:
                self._load_kind(kind)
            with self._lock:
                for (k, _), contribution in self._contributions.items():
                    if k == kind and suffix in contribution.suffixes:
                        return contribution
        return None

    def create(self, kind: str, name: str, *args: Any, **kwargs: Any) -> Any:
        """Call the contribution's factory; a plugin's failure is reported as a PluginError
        naming the plugin, and disables it for the rest of the session."""
        contribution = self.find(kind, name)
        if contribution is None:
            raise LookupError(f"no {kind} called {name!r}")
        return self.call(contribution, *args, **kwargs)

    def call(self, contribution: Contribution, *args: Any, **kwargs: Any) -> Any:
        """Call ``contribution.obj``; any exception from a plugin's code (not one of Lecture
        Studio's own errors, which already say what to do) becomes the plugin-failed sentence."""
        if contribution.builtin:
            return contribution.obj(*args, **kwargs)
        try:
            return contribution.obj(*args, **kwargs)
        except LectureStudioError:
            raise
        except Exception as error:  # a plugin's bug must not take the app down
            raise self.plugin_failed(contribution, _one_line(error)) from error

    def failure(self, contribution: Contribution, error: BaseException | str) -> PluginError:
        """What a guard raises when a plugin's object failed at work (``error``, or a sentence
        saying what it returned): the plugin is disabled and named in one sentence."""
        problem = error if isinstance(error, str) else _one_line(error)
        return self.plugin_failed(contribution, problem)

    def plugin_failed(self, contribution: Contribution, problem: str) -> PluginError:
        """Disable the plugin behind ``contribution`` and return the error that says so."""
        self.report_failure(contribution.plugin, problem)
        c = contribution
        return PluginError(plugin_failed_message(c.plugin, c.kind, c.name, problem))

    def plugins(self, load: bool = False) -> list[PluginRecord]:
        """Every plugin found (built-ins first); with ``load``, each is imported (side by side,
        within the import limit) to check it."""
        self._discover()
        if load:
            self._load_records(list(self._records or []))
        with self._lock:
            return list(self._records or [])

    def unavailable(self, kind: str, name: str) -> PluginRecord | None:
        """The plugin that declared or provided ``kind`` ``name`` but failed or is disabled:
        a lookup that found nothing can then say why instead of "unknown"."""
        with self._lock:
            for record in self._records or []:
                offered = record.contributions + record.declared
                if record.status in ("failed", "disabled") and (kind, name) in offered:
                    return record
        return None

    def report_failure(self, plugin: str, error: BaseException | str) -> None:
        """Mark ``plugin`` failed (it misbehaved at work) and withdraw what it contributed."""
        with self._lock:
            for record in self._records or []:
                if record.name == plugin and record.source != "built-in":
                    record.status = "failed"
                    record.error = error if isinstance(error, str) else _one_line(error)
                    self._withdraw(record)

    # --- discovery ------------------------------------------------------------------------------

    def _discover(self) -> None:
        if self._records is not None:
            return
        with self._lock:
            if self._records is not None:
                return
            records: list[PluginRecord] = []
            if self._builtins is not None:
                builtin = PluginRecord(
                    BUILTIN_NAME,
                    "built-in",
                    "lecture_studio",
                    manifest=PluginManifest(
                        BUILTIN_NAME, _app_version(), PLUGIN_API_VERSION, KINDS
                    ),
                )
                registrar = PluginRegistrar(builtin.manifest, {})  # type: ignore[arg-type]
                self._builtins(registrar)
                self._merge(builtin, registrar.added)
                records.append(builtin)
            if self.plugins_enabled:
                found = (self._entry_point_records() if self.entry_points else []) + [
                    r for folder in self.folders for r in _folder_records(folder)
                ]
                seen = {BUILTIN_NAME}
                declared_by: dict[tuple[str, str], str] = {
                    key: BUILTIN_NAME for key in self._contributions
                }
                for record in found:
                    if record.name in seen:
                        record.status = "disabled"
                        record.error = (
                            f"another plugin called {record.name} was found first; remove one copy"
                        )
                    seen.add(record.name)
                    if record.status == "not loaded":
                        self._check_declared(record, declared_by)
                    records.append(record)
            self._records = records

    def _check_declared(
        self, record: PluginRecord, declared_by: dict[tuple[str, str], str]
    ) -> None:
        """Fail ``record`` now if a name it declares is taken (the same rule as at import)."""
        for kind, name in record.declared:
            owner = declared_by.get((kind, name))
            if owner is not None:
                record.status = "failed"
                record.error = f"its {kind} {name!r} is already provided by {owner}"
                return
        for key in record.declared:
            declared_by[key] = record.name

    def _entry_point_records(self) -> list[PluginRecord]:
        records = []
        for entry in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            record = PluginRecord(entry.name, "entry point", entry.value)
            try:
                package = _package_folder(entry.module)
                record.location = str(package)
                record.manifest = read_manifest(package / MANIFEST_FILE)
                record.name = record.manifest.name
                record._load = entry.load  # type: ignore[assignment]
            except Exception as error:
                _fail(record, error)
            records.append(record)
        return records

    # --- importing ------------------------------------------------------------------------------

    def _undeclared(self, kind: str) -> list[PluginRecord]:
        """The plugins that declare ``kind`` but not the names they add of it."""
        self._discover()
        with self._lock:
            return [
                r
                for r in self._records or []
                if r.usable and kind in r.kinds and not r.manifest.declares(kind)  # type: ignore[union-attr]
            ]

    def _load_kind(self, kind: str) -> None:
        self._discover()
        with self._lock:
            records = [r for r in self._records or [] if r.usable and kind in r.kinds]
        self._load_records(records)

    def _load_records(self, records: list[PluginRecord]) -> None:
        """Import ``records`` side by side, each on its own daemon thread, and wait for each
        until its deadline; one still running then is disabled and never waited for again."""
        jobs = [(record, job) for record in records if (job := self._start(record)) is not None]
        for record, job in jobs:
            job.done.wait(max(0.0, job.deadline - time.monotonic()))
            self._settle(record, job)

    def _start(self, record: PluginRecord) -> _Import | None:
        """The import of ``record`` under way (started now if it had not been); None when
        there is nothing to wait for."""
        with self._lock:
            if record.status == "importing":
                return record._import
            if record.status != "not loaded":
                return None
            manifest = record.manifest
            assert manifest is not None  # records without one are failed at discovery
            if manifest.api_version not in SUPPORTED_API_VERSIONS:
                record.status = "disabled"
                record.error = (
                    f"it targets plugin API {manifest.api_version} but this Lecture Studio offers "
                    f"API {PLUGIN_API_VERSION}; install a version of the plugin made for it"
                )
                return None
            job = _Import(deadline=time.monotonic() + self.import_limit)
            record.status, record._import = "importing", job
        worker = threading.Thread(
            target=self._run_import,
            args=(record, manifest, job),
            name=f"import plugin {record.name}",
            daemon=True,  # a hung import must not keep the app from exiting; nobody joins it
        )
        worker.start()
        return job

    def _run_import(self, record: PluginRecord, manifest: PluginManifest, job: _Import) -> None:
        """The worker: import the plugin and let it register (both are plugin code)."""
        try:
            loaded = record._load() if record._load else None
            register = getattr(loaded, "register", loaded)
            if not callable(register):
                raise PluginError("it has no register(registrar) function")
            registrar = PluginRegistrar(manifest, self._settings(manifest))
            register(registrar)
            job.added = registrar.added
        except BaseException as error:  # SystemExit from a careless plugin included
            job.error = error
        finally:
            job.done.set()

    def _settle(self, record: PluginRecord, job: _Import) -> None:
        """Record how ``job`` ended (in time or not), once, whichever waiter comes first."""
        with self._lock:
            if record.status != "importing" or record._import is not job:
                return
            record._import = None
            if not job.done.is_set():
                record.status = "disabled"
                record.error = (
                    f"its import did not finish within {self.import_limit:g} s, so it is left "
                    "out for this session; update the plugin or remove it"
                )
            elif job.error is not None:
                _fail(record, job.error)
            else:
                try:
                    self._merge(record, job.added or [])
                except PluginError as error:
                    _fail(record, error)
            if record.status != "loaded":
                log.warning(
                    "The plugin %s is not in use: %s; Lecture Studio goes on without it.",
                    record.name,
                    record.error,
                )

    def _merge(self, record: PluginRecord, added: list[Contribution]) -> None:
        """Check what ``record``'s ``register()`` added against the rules and its metadata,
        then offer it; PluginError says which rule was broken."""
        manifest = record.manifest
        assert manifest is not None
        for contribution in added:
            key = (contribution.kind, contribution.name)
            if key in self._contributions:
                owner = self._contributions[key].plugin
                raise PluginError(
                    f"its {contribution.kind} {contribution.name!r} is already provided by {owner}"
                )
        if record.source != "built-in":
            provided = {c.kind for c in added}
            if set(manifest.kinds) - provided:
                missing = ", ".join(sorted(set(manifest.kinds) - provided))
                raise PluginError(f"it declares {missing} in plugin.toml but added none")
            for kind, names in manifest.provides.items():
                got = [c.name for c in added if c.kind == kind]
                extra = [n for n in got if n not in names]
                if extra:
                    raise PluginError(
                        f"it adds the {kind} {extra[0]!r}, which its plugin.toml does not list "
                        "under [provides]"
                    )
                lacking = [n for n in names if n not in got]
                if lacking:
                    raise PluginError(
                        f"its plugin.toml lists the {kind} {lacking[0]!r} under [provides] but "
                        "it added none of that name"
                    )
        for contribution in added:
            self._contributions[(contribution.kind, contribution.name)] = contribution
            record.contributions.append((contribution.kind, contribution.name))
        record.status = "loaded"

    def _withdraw(self, record: PluginRecord) -> None:
        for key in record.contributions:
            self._contributions.pop(key, None)

    def _settings(self, manifest: PluginManifest) -> dict[str, Any]:
        settings = dict(manifest.settings)
        if self.settings_dir is not None:
            user_file = self.settings_dir / f"{manifest.name}.toml"
            if user_file.is_file():
                try:
                    settings.update(tomllib.loads(user_file.read_text(encoding="utf-8")))
                except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
                    raise PluginError(
                        f"its settings file {user_file} cannot be read ({_one_line(error)})"
                    ) from error
        return settings


def plugin_failed_message(plugin: str, kind: str, name: str, problem: str) -> str:
    """The one sentence for a plugin whose ``kind`` called ``name`` failed with ``problem``."""
    return (
        f"The plugin {plugin} failed in its {kind} {name!r} ({problem}); it is disabled for now, "
        "so choose another one or update the plugin."
    )


def read_manifest(path: Path) -> PluginManifest:
    """The plugin declaration in ``path`` (a ``plugin.toml``); PluginError says what is wrong."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PluginError(f"it has no {MANIFEST_FILE} beside its code") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise PluginError(f"its {path.name} cannot be read ({_one_line(error)})") from error
    table = data.get("plugin")
    if not isinstance(table, dict):
        raise PluginError(f"its {path.name} has no [plugin] table")
    name, version, api = table.get("name"), table.get("version"), table.get("api_version")
    kinds = table.get("kinds")
    if not isinstance(name, str) or not name.strip():
        raise PluginError(f"its {path.name} gives no name")
    if not isinstance(version, str) or not version.strip():
        raise PluginError(f"its {path.name} gives no version")
    if not isinstance(api, int):
        raise PluginError(f"its {path.name} gives no api_version (a whole number)")
    if not isinstance(kinds, list) or not kinds or not all(k in KINDS for k in kinds):
        raise PluginError(f"its {path.name} must list kinds among: {', '.join(KINDS)}")
    settings = data.get("settings", {})
    return PluginManifest(
        name.strip(),
        version.strip(),
        api,
        tuple(kinds),
        str(table.get("description", "")),
        settings if isinstance(settings, dict) else {},
        _read_provides(data.get("provides", {}), kinds, path.name),
    )


def _read_provides(table: Any, kinds: list[str], file_name: str) -> dict[str, tuple[str, ...]]:
    """The ``[provides]`` table: for some of the plugin's kinds, the names it adds."""
    if not isinstance(table, dict):
        raise PluginError(f"its {file_name} has a provides that is not a table")
    provides: dict[str, tuple[str, ...]] = {}
    for kind, names in table.items():
        if kind not in kinds:
            raise PluginError(f"its {file_name} lists {kind!r} under [provides] but not in kinds")
        usable = isinstance(names, list) and names
        if not usable or not all(isinstance(n, str) and n.strip() and ":" not in n for n in names):
            raise PluginError(
                f"its {file_name} must give {kind} under [provides] as a list of names "
                "(without a colon)"
            )
        if len(set(names)) != len(names):
            raise PluginError(f"its {file_name} lists a {kind} twice under [provides]")
        provides[kind] = tuple(names)
    return provides


def _package_folder(module: str) -> Path:
    """The folder of the package ``module`` (dotted), found without running any of its code:
    ``importlib.util.find_spec`` would import the parents of a dotted name, so only the top
    package is looked up and the rest is followed on disk."""
    top, *rest = module.split(".")
    spec = importlib.util.find_spec(top)
    locations = list(spec.submodule_search_locations or []) if spec else []
    if not locations and spec is not None and spec.origin and not rest:
        return Path(spec.origin).parent
    for location in locations:
        folder = Path(location).joinpath(*rest)
        if folder.is_dir():
            return folder
    raise PluginError(f"the package {module} cannot be found")


def _folder_records(folder: Path) -> list[PluginRecord]:
    """Plugins in a plugin folder: each sub-folder that holds a ``plugin.toml`` beside an
    ``__init__.py`` (directly, or one level down as in a plugin's source tree)."""
    if not folder.is_dir():
        return []
    records = []
    for child in sorted(folder.iterdir()):
        if not child.is_dir() or child.name.startswith((".", "_")):
            continue
        candidates = [child] if (child / MANIFEST_FILE).is_file() else []
        if not candidates:
            candidates = sorted(
                d for d in child.iterdir() if d.is_dir() and (d / MANIFEST_FILE).is_file()
            )
        for package in candidates:
            record = PluginRecord(package.name, "folder", str(package))
            try:
                record.manifest = read_manifest(package / MANIFEST_FILE)
                record.name = record.manifest.name
                if not (package / "__init__.py").is_file():
                    raise PluginError("it has no __init__.py beside its plugin.toml")
                record._load = _folder_loader(package, record.manifest.name)
            except PluginError as error:
                _fail(record, error)
            records.append(record)
    return records


def _folder_loader(package: Path, name: str) -> Callable[[], ModuleType]:
    def load() -> ModuleType:
        module_name = "lecture_studio_plugin_" + "".join(c if c.isalnum() else "_" for c in name)
        if module_name in sys.modules:
            return sys.modules[module_name]
        spec = importlib.util.spec_from_file_location(
            module_name, package / "__init__.py", submodule_search_locations=[str(package)]
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            sys.modules.pop(module_name, None)
            raise
        return module

    return load


def _fail(record: PluginRecord, error: BaseException) -> None:
    record.status = "failed"
    record.error = _one_line(error)
    if not isinstance(error, PluginError):
        # Point at the plugin's own line that failed, not into the library it called.
        frames = traceback.extract_tb(error.__traceback__)
        own = [f for f in frames if record.location and f.filename.startswith(record.location)]
        if own or frames:
            where = (own or frames)[-1]
            record.error += f" (at {Path(where.filename).name}, line {where.lineno})"


def _one_line(error: BaseException) -> str:
    if isinstance(error, LectureStudioError):
        return error.message.rstrip(".")
    text = " ".join(str(error).split()) or "no message"
    return f"{type(error).__name__}: {text}"


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown plugin kind {kind!r}; expected one of {KINDS}")


def _app_version() -> str:
    from .. import __version__

    return __version__


# --- the registry the app uses --------------------------------------------------------------------


def default_plugin_folders() -> list[Path]:
    """Where plugins are looked for, in order: ``$LECTURE_STUDIO_PLUGIN_PATH``, the ``plugins/``
    folder of the install (beside the bundle's executable, or the source checkout's), the
    environment's ``share/lecture-studio/plugins`` and the user's data folder."""
    import platformdirs

    folders = [Path(p) for p in os.environ.get(PLUGIN_PATH_ENV, "").split(os.pathsep) if p]
    if getattr(sys, "frozen", False):
        folders.append(Path(sys.executable).resolve().parent / "plugins")
    else:
        checkout = Path(__file__).resolve().parents[2]
        if (checkout / "pyproject.toml").is_file():
            folders.append(checkout / "plugins")
    folders.append(Path(sys.prefix) / "share" / "lecture-studio" / "plugins")
    folders.append(Path(platformdirs.user_data_dir("lecture-studio")) / "plugins")
    return folders


def user_settings_dir() -> Path:
    """Where a user's per-plugin settings files (``NAME.toml``) live."""
    import platformdirs

    return Path(platformdirs.user_config_dir("lecture-studio")) / "plugins"
