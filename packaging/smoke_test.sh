#!/usr/bin/env bash
# Smoke test of the desktop bundle built by `make package`: it starts (--version) and exports
# the sample lecture headless, with nothing from the source tree or the venv on its path.
#   packaging/smoke_test.sh [BUNDLE_FOLDER]    (default dist/bundle/lecture-studio)
set -euo pipefail
cd "$(dirname "$0")/.."
bundle="${1:-dist/bundle/lecture-studio}"
exe="$bundle/lecture-studio"
if [ ! -x "$exe" ]; then
	echo "smoke test: no bundle at $bundle; run 'make package' first." >&2
	exit 1
fi
expected="lecture-studio $(sed -n 's/^__version__ = "\(.*\)"/\1/p' lecture_studio/__init__.py)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
# A clean environment: a fresh home (no caches, settings or user plugins), no Python variables.
run() { env -i HOME="$scratch/home" PATH="/usr/local/bin:/usr/bin:/bin" LANG=C.UTF-8 \
	QT_QPA_PLATFORM=offscreen "$@"; }

start=$(date +%s.%N)
version="$(run "$exe" --version)"
if [ "$version" != "$expected" ]; then
	echo "smoke test: --version printed '$version', expected '$expected'." >&2
	exit 1
fi
echo "ok: $version ($(awk "BEGIN { printf \"%.1f\", $(date +%s.%N) - $start }") s to start)"

sample="$(find "$bundle" -path '*bundled_resources/sample-lecture/sample-lecture.pptx' | head -n1)"
if [ -z "$sample" ]; then
	echo "smoke test: the sample lecture is not inside the bundle." >&2
	exit 1
fi
start=$(date +%s.%N)
run "$exe" export "$sample" -o "$scratch/sample.mp4" --size 320x180 --quiet
seconds=$(awk "BEGIN { printf \"%.1f\", $(date +%s.%N) - $start }")
for file in sample.mp4 sample.srt sample.vtt; do
	if [ ! -s "$scratch/$file" ]; then
		echo "smoke test: the export wrote no $file." >&2
		exit 1
	fi
done
if ! head -c 12 "$scratch/sample.mp4" | grep -q ftyp; then
	echo "smoke test: sample.mp4 is not an MP4 file." >&2
	exit 1
fi
echo "ok: exported the sample lecture at 320x180 in $seconds s ($(du -h "$scratch/sample.mp4" | cut -f1))"
if run "$exe" --help | grep -q ' plugins '; then
	run "$exe" plugins list >"$scratch/plugins.txt"
	grep -q '^iris-transition .* loaded' "$scratch/plugins.txt" || {
		echo "smoke test: the bundled example plugins did not load:" >&2
		cat "$scratch/plugins.txt" >&2
		exit 1
	}
	echo "ok: plugins list shows the bundled example plugins loaded"
fi
