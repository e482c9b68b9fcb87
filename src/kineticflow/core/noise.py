"""Signal-to-noise ratios as config values and wildcards (kept free of heavy imports:
the Snakefile imports it at every start)."""

from __future__ import annotations

import math
from typing import Any


def parse_snr(value: Any) -> float:
    """Signal-to-noise ratio from a config or wildcard value: ``inf``, None or ∞ → ``math.inf``.

    Raises
    ------
    ValueError
        If the value is not a positive number or ``inf``.
    """
    if value is None or (isinstance(value, str) and value.strip().lower() in ("inf", "infinity", ".inf", "none", "null")):
        return math.inf
    snr = float(value)
    if not snr > 0:
        raise ValueError(f"SNR must be > 0 or 'inf', got {value!r}")
    return snr


def format_snr(value: Any) -> str:
    """Wildcard form of an SNR: ``inf`` or ``{:g}`` (100.0 → ``"100"``)."""
    snr = parse_snr(value)
    return "inf" if math.isinf(snr) else f"{snr:g}"
