"""What the XFH rules need from the config: targets, the report, wildcards, params and memory.

Plain functions of the workflow config (``workflow/rules/xfh.smk`` imports this module and calls
them; ``snakemake --lint`` wants no functions beside the rules).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict
from typing import Any

from kineticflow.core.targets import BranchReport, Headline, enabled
from kineticflow.xfh.config import MeasureParams, ReconstructParams, SimulateParams

#: Figures of rule ``plot_xfh``, one PNG per crystal each.
FIGURES = ("hologram", "g_map", "scale", "real_space")
#: The branch's table of phases (one row per family and crystal).
PHASES_CSV = "results/xfh/phases.csv"
#: Columns of the report's headline table.
HEADLINE_COLUMNS = (
    "crystal", "h", "k", "l", "h_norm_inv_angstrom", "re_f_true", "re_g_background_subtracted",
    "sign_true", "sign_recovered",
)  # fmt: skip


def crystals(config: Mapping[str, Any]) -> list[str]:
    """The ``{crystal}`` wildcard values: ``xfh.run`` ([] without an ``xfh`` section)."""
    return list(config["xfh"]["run"]) if config.get("xfh") else []


def crystal_constraint(config: Mapping[str, Any]) -> str:
    """Regular expression of the ``{crystal}`` wildcard (the run's crystals, ``V`` if none)."""
    return "|".join(crystals(config)) or "V"


def phases_inputs(config: Mapping[str, Any]) -> list[str]:
    """Inputs of rule ``collect_xfh_phases``: every crystal's ``phases.nc``, in ``xfh.run`` order."""
    return [f"results/xfh/{c}/phases.nc" for c in crystals(config)]


def targets(config: Mapping[str, Any]) -> list[str]:
    """Every XFH result and report figure (``[]`` when ``xfh.enabled`` is false)."""
    if not enabled(config, "xfh"):
        return []
    return [PHASES_CSV] + [f"results/xfh/{c}/figures/{f}.png" for c in crystals(config) for f in FIGURES]


def report(config: Mapping[str, Any]) -> BranchReport:
    """The XFH part of the report: the phases table and the signs at the Bragg-accessible reflections."""
    headline = Headline(
        "XFH: sign of Re F_h from Re G at the Bragg-accessible reflections",
        PHASES_CSV,
        "bragg_accessible",
        HEADLINE_COLUMNS,
    )
    return BranchReport("XFH", {"phases": PHASES_CSV}, (headline,), tuple(targets(config)))


def simulate_params(config: Mapping[str, Any]) -> Callable[[Any], dict[str, Any]]:
    """``params:`` of rule ``simulate_hologram``: the fields of :class:`SimulateParams` of the crystal.

    A dict of plain values (not the dataclass), so that Snakemake records it and reruns the rule
    when it changes; the script rebuilds the dataclass.
    """
    return lambda wildcards: asdict(SimulateParams.from_config(config["xfh"], wildcards.crystal))


def measure_params(config: Mapping[str, Any]) -> dict[str, Any]:
    """``params:`` of rule ``measure_hologram``: the fields of :class:`MeasureParams` (every crystal)."""
    return asdict(MeasureParams.from_config(config["xfh"]))


def reconstruct_params(config: Mapping[str, Any]) -> Callable[[Any], dict[str, Any]]:
    """``params:`` of rule ``reconstruct_hologram``: the fields of :class:`ReconstructParams` of the crystal."""
    return lambda wildcards: asdict(ReconstructParams.from_config(config["xfh"], wildcards.crystal))


def chunk_elements(config: Mapping[str, Any]) -> int:
    """``xfh.chunk_elements``: the largest direction × reflection block (memory, not physics).

    Handed to the rules as a resource, so that changing it reruns nothing.
    """
    return int(config["xfh"]["chunk_elements"])


def mem_mb(config: Mapping[str, Any]) -> Callable[[Any, int], int]:
    """``resources: mem_mb`` of the pixel-sized XFH rules, MB, doubled on each retry.

    ~800 MB of interpreter and libraries, three chunk-sized float32 blocks (``xfh.chunk_elements``)
    and ~200 bytes per spiral pixel.
    """

    def estimate(wildcards: Any, attempt: int) -> int:
        x = config["xfh"]
        pixels = x["crystals"][wildcards.crystal]["n_pixels"]
        return int(800 + 12 * x["chunk_elements"] / 1e6 + 200 * pixels / 1e6) * attempt

    return estimate
