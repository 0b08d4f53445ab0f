# Lecture Studio: every target installs what is missing first, then does its job.
#   make run    open the editor on the sample lecture (headless: says so and does `make demo`)
#   make demo   export the sample lecture to out/sample-lecture.mp4 without a display
#   make test   run the whole test suite
#   make bench  the export speed against ffmpeg and moviepy (benchmarks/export_speed.py)
# A second run does nothing it need not do: system packages are checked with dpkg, the Python
# environment is rebuilt only when pyproject.toml changes.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# This machine family has a CPU build of torch 2.13.0 on local disk; pinning it keeps pip from
# pulling the newest CUDA build (gigabytes). Users with a GPU get the CUDA build the normal way.
TORCH_PIN := torch==2.13.0

# Debian 12 packages: LibreOffice Impress renders .pptx slides (and converts .ppt, .odp, .key),
# espeak-ng speaks English and most languages, Noto CJK draws Japanese/Chinese, Carlito, Caladea
# and Liberation draw Calibri, Cambria, Arial, Times New Roman and Courier New with their widths
# (PowerPoint's line breaks), Noto Color Emoji draws emoji, the xcb and other libraries let Qt
# open a window, xvfb gives screenshots a screen, sox measures audio, binutils lets PyInstaller
# build the bundle. Japanese speech (Open JTalk with its dictionary and a voice) comes from the
# pyopenjtalk-plus wheel, because Debian main has no HTS voice package.
APT_PACKAGES := libreoffice-impress espeak-ng libespeak-ng1 fonts-noto-cjk fontconfig \
	fonts-crosextra-carlito fonts-crosextra-caladea fonts-liberation2 fonts-noto-color-emoji \
	libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 \
	libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxkbcommon-x11-0 libegl1 libgl1 \
	libdbus-1-3 libglib2.0-0 libxkbcommon0 libfontconfig1 libasound2 libpulse0 xvfb sox binutils

.PHONY: run demo test bench package system-packages lint screenshots clean

run: system-packages $(VENV)/.installed-base
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ]; then \
		echo "No display found (DISPLAY is not set): exporting the sample lecture headless instead (make demo)."; \
		$(MAKE) --no-print-directory demo; \
	else \
		$(BIN)/lecture-studio-gui resources/sample-lecture/sample-lecture.pptx; \
	fi

demo: system-packages $(VENV)/.installed-base
	$(BIN)/lecture-studio export resources/sample-lecture/sample-lecture.pptx -o out/sample-lecture.mp4

# The suite runs in six pytest processes, each under 2 GB: what loads torch (imagery and the
# latent morph), the command line (with Whisper and Ray), narration (the voices: each process
# keeps its models for its life, as the app does), the rest of the core, the editor (Qt objects
# it leaves behind must not be garbage-collected in the middle of the core's tests), and the
# wheel's (it builds the package and installs it in a fresh environment). They run in three
# lanes side by side (the command line then torch; the wheel, narration and the editor; the
# core), as a test mostly keeps one core busy; the command line's Ray tests, which wait more
# than they compute, go first, torch's, which keep both cores busy, last. Each group's output
# is printed whole when it ends, and only the first lane starts Ray. Every group runs even
# when another fails; the target fails if any did.
PYTEST := QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q
TORCH_TESTS := tests/imagery tests/cli/test_imagery_cli.py tests/cli/test_batch_imagery.py tests/transitions/test_latent_morph.py
test: system-packages $(VENV)/.installed-dev
	@logs=$$(mktemp -d); \
	group() { name=$$1; shift; $(PYTEST) "$$@" > $$logs/$$name 2>&1 || touch $$logs/failed; \
		flock $$logs/lock cat $$logs/$$name; }; \
	{ group cli tests/cli $(addprefix --ignore=,$(TORCH_TESTS)); \
	  group torch $(TORCH_TESTS); } & \
	{ group wheel tests/packaging; group narration tests/narration; group gui tests/gui; } & \
	group core $(addprefix --ignore=,tests/gui tests/narration tests/cli tests/packaging $(TORCH_TESTS)) & \
	wait; \
	$(BIN)/lint-imports --no-cache || touch $$logs/failed; \
	! test -e $$logs/failed && rm -rf $$logs

# The export's speed side by side with what people use otherwise: Debian's ffmpeg command
# (still-image method) and moviepy 2, installed here only: the app needs neither.
bench: system-packages $(VENV)/.installed-dev
	@$(MAKE) --no-print-directory system-packages APT_PACKAGES=ffmpeg
	$(BIN)/python -m pip install -q "moviepy>=2,<3"
	$(BIN)/python benchmarks/export_speed.py

# A one-folder desktop bundle (PyInstaller) in dist/bundle/lecture-studio, without the AI extra.
package: system-packages $(VENV)/.installed-base
	$(BIN)/python -m pip install -q pyinstaller build
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist/bundle --workpath build/pyinstaller packaging/linux.spec
	@echo "Bundle: dist/bundle/lecture-studio ($$(du -sh dist/bundle/lecture-studio | cut -f1))"

screenshots: system-packages $(VENV)/.installed-base
	xvfb-run -a -s "-screen 0 1600x1000x24" $(BIN)/python -m lecture_studio.gui.screenshots docs/screenshots

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check lecture_studio tests benchmarks plugins packaging setup.py
	$(BIN)/ruff format --check lecture_studio tests benchmarks plugins packaging setup.py

system-packages:
	@missing=""; \
	for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	$(PYTHON) -c "import ensurepip, venv" 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing system packages:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
		else \
			echo "Lecture Studio needs these system packages; install them as root with:"; \
			echo "  sudo apt-get install --no-install-recommends$$missing"; \
			exit 1; \
		fi; \
	fi

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed-base: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install -q -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install -q $(TORCH_PIN)
	$(BIN)/python -m pip install -q $(TORCH_PIN) -e ".[dev,ai,bench,cluster]"
	@touch $@ $(VENV)/.installed-base

clean:
	rm -rf out build dist *.egg-info
