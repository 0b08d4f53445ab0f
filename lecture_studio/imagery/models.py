"""Where diffusion models live (the Hugging Face cache, the app's models folder) and downloads.

Nothing here waits on the network except ``download_model``: a model is resolved from files
already on disk, so generating images offline either works at once or says how to get the model.
Only safetensors weights are used; pickle checkpoints (.bin, .ckpt, .pt) are refused.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import platformdirs

from ..errors import Cancelled, InputError, LectureStudioError, UnsupportedFormatError
from ..jobs import CancelToken, ProgressCallback, no_progress

DEFAULT_MODEL = "stabilityai/sd-turbo"
PICKLE_SUFFIXES = frozenset({".bin", ".ckpt", ".pt", ".pth", ".pkl", ".pickle"})
DOWNLOAD_PATTERNS = ["*.json", "*.txt", "*.safetensors", "*.model"]
DOWNLOAD_IGNORED = ["*.fp16.safetensors", "*.ckpt", "*.bin", "*.pt", "*.pth", "*.onnx", "*.msgpack"]

ModelKind = Literal["folder", "file", "hub"]


class ModelNotFoundError(InputError):
    """The image model is neither in the Hugging Face cache nor in the models folder."""


class UnsafeModelError(UnsupportedFormatError):
    """A model stored as pickle (.bin/.ckpt), which could run code when loaded."""


class ModelDownloadError(LectureStudioError):
    """A model could not be downloaded (offline, unknown id, gated model...)."""


def models_dir() -> Path:
    """The app's own models folder: diffusers folders and .safetensors files put there by hand."""
    return Path(platformdirs.user_data_dir("lecture-studio")) / "models"


def hf_cache_dir() -> Path:
    """The Hugging Face hub cache, read from the environment now (not when a library loaded)."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]) / "hub"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "huggingface" / "hub"


def hub_offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().upper() in {"1", "ON", "YES", "TRUE"}


def how_to_get(model: str) -> str:
    return (
        f"run `lecture-studio models download {model}` on a machine with internet, or put a "
        f"diffusers folder or a .safetensors file in {models_dir()}"
    )


@dataclass(frozen=True)
class ModelSource:
    """A model resolved to files on disk. ``revision`` pins hub snapshots (their commit)."""

    kind: ModelKind
    name: str  # what the user asked for: an id, a folder or a file
    path: Path  # the diffusers folder (a hub snapshot is one) or the .safetensors file
    revision: str = ""


@dataclass(frozen=True)
class InstalledModel:
    """One entry of ``lecture-studio models list``."""

    name: str
    where: str  # "Hugging Face cache" or "models folder"
    kind: str  # "diffusers pipeline", "single-file checkpoint", or what else the cache holds
    path: Path
    size_bytes: int


def _is_pipeline_folder(path: Path) -> bool:
    return (path / "model_index.json").is_file()


def _check_not_pickle(path: Path, name: str) -> None:
    if path.suffix.lower() in PICKLE_SUFFIXES:
        raise UnsafeModelError(
            f"The model {name} is a pickle checkpoint ({path.suffix}), which can run code when "
            "loaded; use a .safetensors file or a diffusers folder with .safetensors weights."
        )


def _check_folder_has_safetensors(path: Path, name: str) -> None:
    if not any(path.rglob("*.safetensors")):
        raise UnsafeModelError(
            f"The model folder {name} has no .safetensors weights (only pickle files, which can "
            "run code when loaded); download the model's safetensors version."
        )


def _hub_snapshot(repo_id: str, cache: Path) -> tuple[Path, str] | None:
    """The cached snapshot of ``repo_id`` (refs/main first, else the newest complete one)."""
    repo = cache / ("models--" + repo_id.replace("/", "--"))
    snapshots = repo / "snapshots"
    if not snapshots.is_dir():
        return None
    main = repo / "refs" / "main"
    if main.is_file():
        commit = main.read_text(encoding="utf-8").strip()
        if _is_pipeline_folder(snapshots / commit):
            return snapshots / commit, commit
    complete = [s for s in snapshots.iterdir() if _is_pipeline_folder(s)]
    if not complete:
        return None
    newest = max(complete, key=lambda s: s.stat().st_mtime)
    return newest, newest.name


def resolve_model(model: str, models_folder: Path | None = None) -> ModelSource:
    """Find ``model`` on disk: a path, a name in the models folder, or a cached hub id.

    Never touches the network. Raises ``ModelNotFoundError`` (saying how to get it) or
    ``UnsafeModelError`` (pickle weights).
    """
    spec = model.strip()
    if not spec:
        raise ModelNotFoundError(f"No image model is set; choose one, e.g. {DEFAULT_MODEL}.")
    folder = models_folder or models_dir()
    candidates = [Path(spec).expanduser()]
    if not Path(spec).is_absolute():
        candidates += [folder / spec, folder / spec.replace("/", "--")]
        candidates += [folder / f"{spec}.safetensors"]
    for path in candidates:
        if path.is_file():
            _check_not_pickle(path, spec)
            if path.suffix.lower() != ".safetensors":
                raise UnsupportedFormatError(
                    f"The model file {path} is not a .safetensors checkpoint; give a "
                    ".safetensors file or a diffusers folder."
                )
            return ModelSource("file", spec, path)
        if path.is_dir():
            if not _is_pipeline_folder(path):
                raise ModelNotFoundError(
                    f"The folder {path} is not a diffusers model (no model_index.json inside); "
                    "give the folder that holds model_index.json."
                )
            _check_folder_has_safetensors(path, spec)
            return ModelSource("folder", spec, path)
    _check_not_pickle(Path(spec), spec)
    if spec.count("/") == 1 and not spec.startswith((".", "/", "~")):
        found = _hub_snapshot(spec, hf_cache_dir())
        if found is not None:
            _check_folder_has_safetensors(found[0], spec)
            return ModelSource("hub", spec, found[0], revision=found[1])
    raise ModelNotFoundError(f"The image model {spec} is not on this computer; {how_to_get(spec)}.")


def _folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _models_folder_entries(folder: Path) -> Iterator[InstalledModel]:
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        if path.is_dir() and _is_pipeline_folder(path):
            name = str(path.relative_to(folder))
            size = _folder_size(path)
            yield InstalledModel(name, "models folder", "diffusers pipeline", path, size)
        elif path.is_file() and path.suffix.lower() == ".safetensors":
            inside = [parent for parent in path.parents if folder in parent.parents]
            if any(_is_pipeline_folder(parent) for parent in inside):
                continue  # a component of a pipeline folder listed above
            name = str(path.relative_to(folder))
            kind = "single-file checkpoint"
            yield InstalledModel(name, "models folder", kind, path, path.stat().st_size)


def list_models(models_folder: Path | None = None) -> list[InstalledModel]:
    """What the Hugging Face cache and the app's models folder hold (models only)."""
    from huggingface_hub import scan_cache_dir
    from huggingface_hub.errors import CacheNotFound

    entries: list[InstalledModel] = []
    cache = hf_cache_dir()
    try:
        info = scan_cache_dir(cache)
    except CacheNotFound:
        info = None
    for repo in sorted(info.repos if info else [], key=lambda r: r.repo_id):
        if repo.repo_type != "model":
            continue
        found = _hub_snapshot(repo.repo_id, cache)
        kind = "diffusers pipeline" if found else "not a diffusers pipeline"
        path = found[0] if found else Path(repo.repo_path)
        entries.append(
            InstalledModel(repo.repo_id, "Hugging Face cache", kind, path, repo.size_on_disk)
        )
    entries += _models_folder_entries(models_folder or models_dir())
    return entries


def _progress_tqdm(progress: ProgressCallback, cancel: CancelToken | None, label: str) -> type:
    """A tqdm class that reports snapshot_download's progress and stops it on cancel."""
    from tqdm.auto import tqdm

    class ReportingTqdm(tqdm):  # type: ignore[misc, valid-type]
        def __init__(self, *args: object, **kwargs: object) -> None:
            kwargs["disable"] = True
            super().__init__(*args, **kwargs)

        def update(self, n: float | None = 1) -> bool | None:
            if cancel is not None:
                cancel.check()
            result = super().update(n)
            if self.total:
                progress(min(self.n / self.total, 1.0), label)
            return result

    return ReportingTqdm


def download_model(
    repo_id: str,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    allow_patterns: list[str] | None = None,
    ignore_patterns: list[str] | None = None,
) -> Path:
    """Download a model's safetensors snapshot into the Hugging Face cache; returns its folder.

    ``allow_patterns``/``ignore_patterns`` replace the diffusers ones (a Whisper model is one
    CTranslate2 ``model.bin``, which is not a pickle)."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import (
        GatedRepoError,
        HfHubHTTPError,
        LocalEntryNotFoundError,
        RepositoryNotFoundError,
    )

    if repo_id.count("/") != 1:
        raise InputError(
            f"{repo_id} is not a Hugging Face model id; give one like {DEFAULT_MODEL}."
        )
    if hub_offline():
        raise ModelDownloadError(
            f"Cannot download {repo_id}: HF_HUB_OFFLINE is set; unset it on a machine with "
            "internet, or copy the model into the models folder."
        )
    label = f"downloading {repo_id}"
    progress(0.0, label)
    try:
        path = snapshot_download(
            repo_id,
            cache_dir=hf_cache_dir(),
            allow_patterns=DOWNLOAD_PATTERNS if allow_patterns is None else allow_patterns,
            ignore_patterns=DOWNLOAD_IGNORED if ignore_patterns is None else ignore_patterns,
            tqdm_class=_progress_tqdm(progress, cancel, label),
            etag_timeout=15,
        )
    except Cancelled:
        raise
    except GatedRepoError as exc:
        raise ModelDownloadError(
            f"{repo_id} is gated: accept its licence on huggingface.co and log in with "
            "`hf auth login`, then try again."
        ) from exc
    except RepositoryNotFoundError as exc:
        raise ModelDownloadError(
            f"There is no model {repo_id} on Hugging Face; check the id's spelling."
        ) from exc
    except (LocalEntryNotFoundError, HfHubHTTPError, OSError) as exc:
        raise ModelDownloadError(
            f"Could not download {repo_id} ({type(exc).__name__}); check the internet "
            "connection and try again."
        ) from exc
    progress(1.0, label)
    return Path(path)
