"""The HTML report, opened in headless Chromium: every figure loads with a non-zero size."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.workflow

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
    "--virtual-time-budget=60000",
    "--dump-dom",
]

# Drives the report's own React app: shows every result as a user clicking it would, waits for
# the <img> to decode, and records its natural and rendered size in a <pre> for --dump-dom.
HARNESS = """
<script>
window.addEventListener('load', async () => {
  const sleep = ms => new Promise(r => setTimeout(r, ms));
  const out = {};
  await sleep(500);
  for (const [path, entry] of Object.entries(results)) {
    let rec = {mime: entry.mime_type, ok: false};
    if (entry.mime_type.startsWith('image/')) {
      app.setView({content: 'img', contentPath: entry.data_uri});
      for (let k = 0; k < 100 && !rec.ok; k++) {
        await sleep(50);
        const img = Array.from(document.querySelectorAll('#app img')).find(i => i.src === entry.data_uri);
        if (img && img.complete && img.naturalWidth > 0) {
          const r = img.getBoundingClientRect();
          rec = {mime: entry.mime_type, ok: r.width > 0 && r.height > 0, natural: [img.naturalWidth, img.naturalHeight], shown: [r.width, r.height]};
        }
      }
    } else {
      const body = await (await fetch(entry.data_uri)).text();
      app.setView({content: entry.mime_type === 'text/html' ? 'html' : 'text', contentPath: entry.data_uri, contentText: body});
      await sleep(200);
      const frame = document.querySelector('#app iframe');
      const r = frame ? frame.getBoundingClientRect() : {width: 1, height: 1};
      rec = {mime: entry.mime_type, ok: body.length > 100 && r.width > 0 && r.height > 0, bytes: body.length};
    }
    out[path] = rec;
  }
  const pre = document.createElement('pre');
  pre.id = 'kf-test-result';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>
"""


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def embedded_results(report: Path) -> dict:
    text = report.read_text()
    start = text.index('<script id="results">')
    body = text[start : text.index("</script>", start)]
    return json.loads(body.split("var results = ", 1)[1].strip().rstrip(";"))


def test_report_is_self_contained_and_categorised(workflow_report):
    results = embedded_results(workflow_report)
    text = workflow_report.read_text()
    # offline: no external scripts, styles or images
    assert not re.search(r'<(script|link|img)[^>]+(src|href)="https?://', text)
    figures = [k for k, v in results.items() if v["mime_type"] == "image/png"]
    assert len(figures) >= 8
    for path, entry in results.items():
        assert entry["data_uri"].startswith("data:"), path
        assert len(entry.get("caption", "")) > 80, f"{path} has no real caption"
    cats = text[text.index('<script id="categories">') :]
    assert "TRXS" in cats[:20000] and "Summary" in cats[:20000]


def test_every_figure_loads_in_headless_chromium(workflow_report, tmp_path):
    exe = chromium()
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; `make test` installs it (Debian package chromium)")
        pytest.skip("chromium not installed (make test installs it)")
    page = tmp_path / "report_with_harness.html"
    text = workflow_report.read_text()
    end = text.rindex("</body>")  # the last one: vega-embed's code contains the string too
    page.write_text(text[:end] + HARNESS + text[end:])
    profile = tmp_path / "chromium-profile"
    proc = subprocess.run(
        [exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=240,
    )
    match = re.search(r'<pre id="kf-test-result">(.*?)</pre>', proc.stdout, re.S)
    assert match, f"harness did not report; chromium said:\n{proc.stderr[-3000:]}"
    import html as _html

    status = json.loads(_html.unescape(match.group(1)))
    expected = embedded_results(workflow_report)
    assert set(status) == set(expected)
    failed = {k: v for k, v in status.items() if not v["ok"]}
    assert not failed, f"not rendered: {failed}"
    for path, rec in status.items():
        if rec["mime"].startswith("image/"):
            assert rec["natural"][0] >= 300 and rec["natural"][1] >= 200, path
