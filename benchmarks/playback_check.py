"""Play an exported MP4 from start to end in a browser's video element and in common players.

- Chromium (Debian's ``chromium``, driven by the ``playwright`` package): a ``<video>`` element
  plays the file, muted, at 16x speed, until its ``ended`` event; prints where it ended, the
  picture size and any media error.
- mpv (FFmpeg's demuxer and decoders): decodes every picture and sound, untimed.
- GStreamer (its own MP4 demuxer, ``qtdemux``, with libav decoders): the same.

Each is skipped, saying so, when it is not installed (``apt install chromium mpv
gstreamer1.0-tools gstreamer1.0-libav gstreamer1.0-plugins-good``; ``pip install playwright``).

    .venv/bin/python benchmarks/playback_check.py out/sample-lecture.mp4
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import shutil
import subprocess
import threading
from pathlib import Path

PAGE = """<!doctype html><video id=v src="{name}" muted playsinline></video><script>
const v = document.getElementById('v');
window.result = new Promise(done => {{
  const errors = [];
  v.addEventListener('error', () => {{
    errors.push(v.error ? v.error.message || 'error ' + v.error.code : 'error');
    done({{ended: false, at: v.currentTime, duration: v.duration, errors}}); }});
  v.addEventListener('ended', () => done({{ended: true, at: v.currentTime, duration: v.duration,
    width: v.videoWidth, height: v.videoHeight, errors}}));
  v.addEventListener('loadedmetadata', () => {{
    v.playbackRate = 16; v.play().catch(e => errors.push(String(e))); }});
  setTimeout(() => done({{ended: false, at: v.currentTime, duration: v.duration, errors}}), {ms});
}});
</script>"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the browser drops connections it no longer needs while it seeks


def chromium(video: Path, timeout: float) -> str:
    browser_path = shutil.which("chromium")
    if browser_path is None:
        return "skipped: Chromium is not installed (apt install chromium)"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return "skipped: playwright is not installed (pip install playwright)"
    page_file = video.parent / f".{video.stem}.play.html"
    page_file.write_text(PAGE.format(name=video.name, ms=int(timeout * 1000)))
    handler = functools.partial(_QuietHandler, directory=str(video.parent))
    server = _QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=browser_path, args=["--autoplay-policy=no-user-gesture-required"]
            )
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/{page_file.name}")
            result = page.evaluate("window.result")
            browser.close()
    finally:
        server.shutdown()
        page_file.unlink(missing_ok=True)
    # not ended: a media error, or still playing at the timeout
    played = result["ended"] and not result["errors"] and result["at"] >= result["duration"] - 0.1
    return f"{'PASS' if played else 'FAIL'} {json.dumps(result)}"


def command(argv: list[str], timeout: float) -> str:
    if shutil.which(argv[0]) is None:
        return f"skipped: {argv[0]} is not installed"
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return f"FAIL: still playing after {timeout:g} s"
    problems = (done.stdout + done.stderr).strip()
    verdict = "PASS" if done.returncode == 0 and not problems else "FAIL"
    return f"{verdict} exit {done.returncode}" + (f": {problems}" if problems else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("video", type=Path)
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args()
    video = args.video.resolve()
    if not video.is_file():
        parser.error(f"{video} does not exist")
    results = {
        "chromium <video>": chromium(video, args.timeout),
        "mpv": command(
            [
                "mpv",
                "--no-config",
                "--vo=null",
                "--ao=null",
                "--ao-null-untimed=yes",
                "--untimed",
                "--really-quiet",
                str(video),
            ],
            args.timeout,
        ),  # fmt: skip
        "gstreamer": command(
            [
                "gst-launch-1.0",
                "-q",
                "filesrc",
                f"location={video}",
                "!",
                "qtdemux",
                "name=d",
                "d.video_0",
                "!",
                "queue",
                "!",
                "avdec_h264",
                "!",
                "fakesink",
                "sync=false",
                "d.audio_0",
                "!",
                "queue",
                "!",
                "avdec_aac",
                "!",
                "fakesink",
                "sync=false",
            ],
            args.timeout,
        ),  # fmt: skip
    }
    for player, outcome in results.items():
        print(f"{player:17} {outcome}")
    return 1 if any(outcome.startswith("FAIL") for outcome in results.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
