"""Plotting: one style for every figure of the report (matplotlib, Agg backend).

Submodules hold the figures of each branch (:mod:`.trxs`, :mod:`.plasma`,
:mod:`.deconvolution`); all of them use :func:`figure` and :func:`save` from here so that
fonts, sizes, colour maps and file handling are the same everywhere.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import TwoSlopeNorm  # noqa: E402

from kineticflow.core.io import atomic_output  # noqa: E402

STYLE: dict[Any, Any] = {
    "figure.dpi": 110,
    "savefig.dpi": 110,
    "font.size": 9,
    "axes.titlesize": 9,
    "axes.labelsize": 9,
    "legend.fontsize": 8,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "lines.linewidth": 1.3,
    "image.cmap": "RdBu_r",
}

#: Diverging colour map for difference signals, always centred on zero.
DIVERGING = "RdBu_r"


def figure(ncols: int = 1, nrows: int = 1, width: float = 6.4, height: float = 4.0, **kw: Any):
    """A new figure and axes in the kineticflow style (``plt.subplots`` arguments)."""
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(nrows, ncols, figsize=(width, height), layout="constrained", **kw)
    return fig, axes


def centred_norm(values: Any) -> TwoSlopeNorm:
    """Colour normalisation symmetric about zero for a signed map."""
    import numpy as np

    vmax = float(np.nanmax(np.abs(values))) or 1.0
    return TwoSlopeNorm(vcenter=0.0, vmin=-vmax, vmax=vmax)


def save(fig: Any, path: str | os.PathLike[str]) -> Path:
    """Save a figure as PNG atomically (temporary name, then rename) and close it."""
    try:
        with atomic_output(path) as tmp, plt.rc_context(STYLE):
            fig.savefig(tmp, format=Path(path).suffix.lstrip(".") or "png")
    finally:
        plt.close(fig)
    return Path(path)
