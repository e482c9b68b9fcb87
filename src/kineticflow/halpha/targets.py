"""Result files of the Hα branch, its part of the report, and the wildcard lists its rules need.

Plain functions of the workflow config, called by ``workflow/rules/halpha.smk`` and, through
:mod:`kineticflow.branches`, by the Snakefile's ``rule all`` and the report.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kineticflow.core.targets import BranchReport, Headline, enabled, fmt

#: Report category of the branch's figures and tables.
CATEGORY = "Halpha"
#: Results folder of the branch.
RESULTS = "results/halpha"
#: Figures of rule ``plot_halpha`` (file stems, in the rule's output order).
FIGURES = ("profile_families", "pixel_sequences", "hxr_wing_width", "hxr_velocity", "maps_hxr_peak")
#: Data files of the chain, in rule order.
DATA_FILES = (
    "profiles.nc",
    "truth.nc",
    "observed.nc",
    "diagnostics.nc",
    "recovered.csv",
    "fits.nc",
    "fits.csv",
)


def p0_values(config: Mapping[str, Any]) -> list[str]:
    """The ``{p0}`` wildcard values of the profile grid (``halpha.p0_grid`` formatted by ``fmt``)."""
    return [fmt(p) for p in config["halpha"]["p0_grid"]]


def f20_values(config: Mapping[str, Any]) -> list[str]:
    """The ``{f20}`` wildcard values of the profile grid (``halpha.f20_grid`` formatted by ``fmt``)."""
    return [fmt(f) for f in config["halpha"]["f20_grid"]]


def profile_file(p0: str, f20: str) -> str:
    """The per-case profile of rule ``synthesise_profiles`` for wildcard values ``p0``, ``f20``."""
    return f"{RESULTS}/profiles/p0-{p0}_f20-{f20}.nc"


def quiet_profile() -> str:
    """The FAL-C (quiet-Sun, P0 = F20 = 0) case: the continuum and the reference profile."""
    return profile_file("0", "0")


def profile_files(config: Mapping[str, Any]) -> list[str]:
    """Per-case profile files of the grid, ``p0``-major (the order ``collect_profiles`` expects)."""
    return [profile_file(p, f) for p in p0_values(config) for f in f20_values(config)]


def figure_files() -> list[str]:
    """The figures of ``plot_halpha``."""
    return [f"{RESULTS}/figures/{name}.png" for name in FIGURES]


def targets(config: Mapping[str, Any]) -> list[str]:
    """Every Hα result and figure (``[]`` when ``halpha.enabled`` is false)."""
    if not enabled(config, "halpha"):
        return []
    return [f"{RESULTS}/{name}" for name in DATA_FILES] + figure_files()


def report(config: Mapping[str, Any]) -> BranchReport:
    """The branch's report: tables ``recovered`` and ``fits``, the fits as headline, every target as input."""
    return BranchReport(
        category=CATEGORY,
        tables={"recovered": f"{RESULTS}/recovered.csv", "fits": f"{RESULTS}/fits.csv"},
        headlines=(
            Headline(
                "Halpha: redshift decay times and HXR correlations (full tables under Halpha)", f"{RESULTS}/fits.csv"
            ),
        ),
        inputs=tuple(targets(config)),
    )
