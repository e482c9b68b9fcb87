"""Text/CSV matrices of a measured TRXS observation: the layout beamline reduction scripts write.

A block is a header row of delays followed by one row per q: q in the first column, then ΔS (or σ)
at each delay. The header may start with a corner cell (``q``, ``sigma``, any label) or not; its
delays are numbers, optionally with a unit (``100ps``, ``-1.5ns``, ``1us``). Cells are separated
by commas, or by white space (blanks, tabs); ``#`` starts a comment. σ is either a second block in
the same file (its header row starts the block: a first cell that is not a number, or the same
delays as the first header) or a companion file with one block.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from kineticflow.core.io import observation_error as fail
from kineticflow.trxs.observation_formats import RawObservation

_DELAY = re.compile(r"^([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([A-Za-zµμ]*)$")
_FIRST = re.compile(r"[,\s]")


@dataclass
class _Block:
    header: list[str]
    header_line: int
    lines: list[str] = field(default_factory=list)
    line_numbers: list[int] = field(default_factory=list)


def _is_number(token: str) -> bool:
    try:
        float(token)
    except ValueError:
        return False
    return True


def _cells(line: str, comma: bool) -> list[str]:
    return [c.strip() for c in line.split(",")] if comma else line.split()


def _blocks(text: str) -> tuple[list[_Block], bool]:
    """The blocks of a file (comments dropped) and whether cells are comma-separated."""
    blocks: list[_Block] = []
    comma = False
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if not blocks:
            comma = "," in line
            blocks.append(_Block(_cells(line, comma), number))
            continue
        if _is_header(line, blocks[0].header, comma):
            blocks.append(_Block(_cells(line, comma), number))
        else:
            blocks[-1].lines.append(line)
            blocks[-1].line_numbers.append(number)
    return blocks, comma


def _is_header(line: str, first_header: list[str], comma: bool) -> bool:
    """A row starting a block: its first cell is not a number, or it repeats the first header's delays."""
    first = _FIRST.split(line, maxsplit=1)[0]
    if not _is_number(first):
        return True
    if first not in first_header[:2]:  # cheap test before splitting the whole row
        return False
    cells = _cells(line, comma)
    return cells == first_header or cells == first_header[1:]


def parse_delays(path: Path, labels: Sequence[str], default_unit: str) -> tuple[NDArray[np.float64], tuple[str, ...]]:
    """Delays from header labels: a number with an optional unit (``100ps``); else ``default_unit``.

    Raises
    ------
    ObservationError
        For a label that is not a number with an optional unit.
    """
    values, units = [], []
    for label in labels:
        match = _DELAY.match(label.strip())
        if not match:
            raise fail(
                path, "tau", f"header label {label!r} is not a delay", "a number with an optional unit, e.g. 100ps"
            )
        values.append(float(match.group(1)))
        units.append(match.group(2) or default_unit)
    return np.asarray(values), tuple(units)


def _diagnose(path: Path, variable: str, block: _Block, comma: bool, n_cols: int) -> None:
    """Raise the error of the first malformed row of a block (slow path, only after a failure)."""
    for line, number in zip(block.lines, block.line_numbers):
        cells = _cells(line, comma)
        if len(cells) != n_cols:
            raise fail(
                path, variable, f"line {number} has {len(cells)} cells", f"{n_cols} (q, then one value per delay)"
            )
        for cell in cells:
            if not _is_number(cell):
                raise fail(path, variable, f"line {number}: cell {cell!r} is not a number", "numbers only")


def _parse_block(
    path: Path, variable: str, block: _Block, comma: bool
) -> tuple[list[str], NDArray[np.float64], NDArray[np.float64]]:
    """Delay labels, q column and values (n_q, n_tau) of one block."""
    import pandas as pd  # noqa: PLC0415 - its C parser reads a 1000 x 1000 matrix ~5x faster than numpy

    if not block.lines:
        raise fail(
            path,
            variable,
            f"the block at line {block.header_line} has no data rows",
            "rows of q then one value per delay",
        )
    n_cols = len(_cells(block.lines[0], comma))
    header = block.header
    if len(header) == n_cols:
        header = header[1:]
    elif len(header) != n_cols - 1:
        raise fail(
            path,
            variable,
            f"header row (line {block.header_line}) has {len(header)} cells but data rows {n_cols}",
            "one delay per data column, with or without a corner cell",
        )
    sep = "," if comma else r"\s+"
    try:
        table = pd.read_csv(
            io.StringIO("\n".join(block.lines)), sep=sep, header=None, dtype=float, skipinitialspace=True
        )
        values = table.to_numpy(dtype=float)
    except (ValueError, pd.errors.ParserError):
        _diagnose(path, variable, block, comma, n_cols)
        raise
    if values.shape[1] != n_cols or np.isnan(values).any():
        _diagnose(path, variable, block, comma, n_cols)
    return header, values[:, 0], values[:, 1:]


def read_text(
    path: str | os.PathLike[str], *, sigma_file: str | os.PathLike[str] | None = None, delay_unit: str = "ps"
) -> RawObservation:
    """Read a text/CSV matrix: a ΔS block and a σ block (second block or companion file).

    Parameters
    ----------
    path : str or path
        The file.
    sigma_file : str or path, optional
        Companion file of σ (relative to the folder of ``path``), used when the file has one block.
        Default ``<stem>_sigma<suffix>``.
    delay_unit : str
        Unit of header delays written without one.

    Returns
    -------
    RawObservation
        ``q_unit`` empty (the caller supplies it).

    Raises
    ------
    ObservationError
        For an unreadable file, malformed rows, more than two blocks, no σ, or a σ block whose
        delays or q differ from the ΔS block's.
    """
    path = Path(path)
    blocks, comma = _read_blocks(path, "delta_s")
    if len(blocks) > 2:
        raise fail(
            path,
            "sigma",
            f"{len(blocks)} blocks (header rows at lines {[b.header_line for b in blocks]})",
            "one ΔS block and at most one σ block",
        )
    labels, q, delta_s = _parse_block(path, "delta_s", blocks[0], comma)
    attrs = {}
    if len(blocks) == 2:
        sig_path, (sig_block, sig_comma) = path, (blocks[1], comma)
    else:
        sig_path = path.parent / (sigma_file if sigma_file is not None else f"{path.stem}_sigma{path.suffix}")
        if not sig_path.exists():
            raise fail(
                path,
                "sigma",
                f"one block and no companion file {sig_path.name!r}",
                "a second block (header row, then rows) or that file",
            )
        sig_blocks, sig_comma = _read_blocks(sig_path, "sigma")
        if len(sig_blocks) != 1:
            raise fail(sig_path, "sigma", f"{len(sig_blocks)} blocks", "one block")
        sig_block = sig_blocks[0]
        attrs["sigma_file"] = str(sig_path)
    sig_labels, sig_q, sigma = _parse_block(sig_path, "sigma", sig_block, sig_comma)
    tau, units = parse_delays(path, labels, delay_unit)
    sig_tau, sig_units = parse_delays(sig_path, sig_labels, delay_unit)
    if not np.array_equal(sig_q, q):
        raise fail(
            sig_path,
            "sigma",
            f"q column of {sig_q.size} rows differs from the ΔS block's ({q.size})",
            "the same q in both blocks",
        )
    if not (np.array_equal(sig_tau, tau) and sig_units == units):
        raise fail(sig_path, "sigma", "header delays differ from the ΔS block's", "the same delays in both blocks")
    return RawObservation(q, tau, delta_s, sigma, "", units, attrs=attrs)


def _read_blocks(path: Path, variable: str) -> tuple[list[_Block], bool]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise fail(path, variable, f"file not readable ({exc})", "a text matrix") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")  # e.g. "µs" written by a Windows tool; every byte decodes
    blocks, comma = _blocks(text)
    if not blocks:
        raise fail(path, variable, "no data", "a header row of delays, then rows of q and values")
    return blocks, comma


def _fmt(values: NDArray[np.float64], digits: int | None) -> list[str]:
    if digits is None:
        return [repr(float(v)) for v in values]
    return [f"{float(v):.{digits}g}" for v in values]


def format_block(
    corner: str,
    tau: NDArray[np.float64],
    q: NDArray[np.float64],
    values: NDArray[np.float64],
    sep: str,
    digits: int | None,
) -> str:
    """One block: the header row (``corner`` then the delays), then a row ``q, values…`` per q."""
    lines = [sep.join([corner, *_fmt(tau, None)])]
    q_cells = _fmt(q, None)
    lines += [sep.join([q_cells[i], *_fmt(values[i], digits)]) for i in range(q.size)]
    return "\n".join(lines) + "\n"


def write_text(
    raw: RawObservation,
    path: str | os.PathLike[str],
    *,
    comments: Sequence[str] = (),
    digits: int | None = None,
    companion: bool = False,
) -> list[Path]:
    """Write ΔS and σ as text blocks (tab-separated; comma-separated for a ``.csv`` file).

    Parameters
    ----------
    raw : RawObservation
        Arrays in the units to store (q in the first column, delays in the header row).
    path : str or path
        Target file.
    comments : sequence of str
        Lines written first, each after ``# ``.
    digits : int, optional
        Significant digits of ΔS and σ; default: the shortest text that reads back to the same
        float (q and delays always so).
    companion : bool
        Write σ to ``<stem>_sigma<suffix>`` instead of a second block.

    Returns
    -------
    list of pathlib.Path
        The file(s) written.
    """
    from kineticflow.core.io import write_text as write_atomic  # noqa: PLC0415

    path = Path(path)
    sep = "," if path.suffix.lower() == ".csv" else "\t"
    head = "".join(f"# {c}\n" for c in comments)
    data = format_block("q", raw.tau, raw.q, raw.delta_s, sep, digits)
    sigma = format_block("sigma", raw.tau, raw.q, raw.sigma, sep, digits)
    if not companion:
        return [write_atomic(head + data + "\n" + sigma, path)]
    sig_path = path.with_name(f"{path.stem}_sigma{path.suffix}")
    return [write_atomic(head + data, path), write_atomic(head + sigma, sig_path)]
