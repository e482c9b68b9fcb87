"""Issue 27 item 4: every file written through a temporary name gets the mode a plain ``open``
would give it (0o666 & ~umask), so colleagues on a shared file system can read the results.

``tempfile.mkstemp`` creates 0600 files and a rename keeps that mode; ``core.io.atomic_output``
resets it. These tests check each writer under several umasks, and that no module writes through
a temporary file of its own (the way ``fits/summary.csv`` and ``deconvolved/summary.csv`` came out
0600).
"""

from __future__ import annotations

import ast
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from conftest import ROOT

from kineticflow.core.io import atomic_output, plain_mode, write_dataset, write_text

UMASKS = [0o022, 0o002, 0o077, 0o027]


@pytest.fixture(params=UMASKS, ids=[f"umask-{m:03o}" for m in UMASKS])
def umask(request) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _plain_open_mode(folder: Path) -> int:
    ref = folder / "plain.txt"
    with open(ref, "w") as fh:
        fh.write("x")
    return _mode(ref)


def test_plain_mode_is_what_open_gives(tmp_path, umask):
    assert plain_mode() == 0o666 & ~umask == _plain_open_mode(tmp_path)


def test_atomic_output_gives_the_plain_open_mode(tmp_path, umask):
    target = tmp_path / "sub" / "summary.csv"
    with atomic_output(target) as tmp:
        assert _mode(tmp) == 0o600  # mkstemp's mode, reset before the rename
        tmp.write_text("a,b\n1,2\n")
    assert _mode(target) == _plain_open_mode(tmp_path) == 0o666 & ~umask


def test_write_text_and_write_dataset_give_the_plain_open_mode(tmp_path, umask):
    ds = xr.Dataset({"x": ("t", np.arange(3.0), {"units": "1", "long_name": "x"})})
    written = [
        write_text("a\n", tmp_path / "t.csv"),
        write_dataset(ds, tmp_path / "d.nc"),
    ]
    expected = _plain_open_mode(tmp_path)
    assert {p.name: _mode(p) for p in written} == {p.name: expected for p in written}


def test_replacing_a_file_keeps_the_plain_open_mode(tmp_path, umask):
    target = tmp_path / "f.csv"
    write_text("old\n", target)
    write_text("new\n", target)
    assert _mode(target) == 0o666 & ~umask and target.read_text() == "new\n"


def test_saved_figures_give_the_plain_open_mode(tmp_path, umask):
    from kineticflow.core.plotting import figure, save

    fig, ax = figure(1, 1)
    ax.plot([0, 1], [0, 1])
    out = save(fig, tmp_path / "figures" / "f.png")
    assert _mode(out) == _plain_open_mode(tmp_path)


# --- no writer of its own -----------------------------------------------------------------

#: Calls that create a file under a temporary name or rename one into place: only core.io may
#: use them (its atomic_output fixes the mode); everything else writes through atomic_output,
#: write_text, write_dataset or plotting.save.
TEMP_WRITERS = {
    ("tempfile", "mkstemp"),
    ("tempfile", "NamedTemporaryFile"),
    ("tempfile", "mktemp"),
    ("os", "replace"),
    ("os", "rename"),
    ("os", "renames"),
    ("shutil", "move"),
}
ALLOWED = {ROOT / "src" / "kineticflow" / "core" / "io.py"}


def _sources() -> list[Path]:
    files = sorted((ROOT / "src" / "kineticflow").rglob("*.py")) + sorted((ROOT / "workflow").rglob("*.py"))
    return [p for p in files if p not in ALLOWED]


def _temp_writes(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    aliases: dict[str, tuple[str, str]] = {}  # from tempfile import mkstemp as m -> m: (tempfile, mkstemp)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in {m for m, _ in TEMP_WRITERS}:
            for a in node.names:
                if (node.module, a.name) in TEMP_WRITERS:
                    aliases[a.asname or a.name] = (node.module, a.name)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and (f.value.id, f.attr) in TEMP_WRITERS:
            found.append(f"{f.value.id}.{f.attr} (line {node.lineno})")
        elif isinstance(f, ast.Name) and f.id in aliases:
            found.append(f"{'.'.join(aliases[f.id])} (line {node.lineno})")
    return found


def test_the_scan_finds_a_private_temporary_writer(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import os, tempfile\nfrom tempfile import mkstemp as m\nfd, t = tempfile.mkstemp()\nos.replace(t, 'x')\nm()\n"
    )
    assert len(_temp_writes(bad)) == 3


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_writes_through_a_temporary_file_of_its_own(path):
    """A private mkstemp + os.replace keeps mkstemp's 0600: use core.io.atomic_output instead."""
    assert not _temp_writes(path), f"{path.relative_to(ROOT)}: use kineticflow.core.io.atomic_output"
