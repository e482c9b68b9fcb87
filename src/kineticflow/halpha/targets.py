"""Result files of the Hα branch, its part of the report, and the wildcard lists its rules need.

Plain functions of the workflow config (and of ``basedir``, the workflow folder, where a configured
file resolves to it), called by ``workflow/rules/halpha.smk`` and, through
:mod:`kineticflow.branches`, by the Snakefile's ``rule all`` and the report. An observation of
``halpha.observations`` (wildcard ``{name}``) has its results under ``results/halpha/observed/{name}/``
with the simulated path's file names and columns; with none configured, nothing of it is run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import asdict
from typing import Any

from kineticflow.core.targets import BranchReport, Headline, enabled, fmt
from kineticflow.halpha.observed_config import observation_from_config, resolve

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


#: Results of the observations: ``{OBSERVED}/{name}/`` per observation, and the provenance table.
OBSERVED = f"{RESULTS}/observed"
#: Data files of an observation (the simulated path's names; no profiles, no truth).
OBSERVED_DATA_FILES = ("observed.nc", "diagnostics.nc", "recovered.csv", "fits.nc", "fits.csv")
#: Figures of rule ``plot_halpha_observed`` (those of ``plot_halpha`` but the profile families).
OBSERVED_FIGURES = FIGURES[1:]
#: Provenance of every observation (rule ``tabulate_halpha_observations``): file, SHA-256, reader.
PROVENANCE = f"{OBSERVED}/provenance.csv"
#: Pattern of the ``{name}`` wildcard (the schema's ``propertyNames``).
NAME_PATTERN = r"[A-Za-z0-9_-]+"


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


def observation_names(config: Mapping[str, Any]) -> list[str]:
    """The ``{name}`` wildcard values: the keys of ``halpha.observations`` (empty: none)."""
    return [str(n) for n in (config["halpha"].get("observations") or {})]


def _entry(config: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    return config["halpha"]["observations"][name]


def observed_file(name: str, file: str) -> str:
    """A result of observation ``name`` (``observed.nc``, ``figures/maps_hxr_peak.png``, ...)."""
    return f"{OBSERVED}/{name}/{file}"


def has_hxr(config: Mapping[str, Any], name: str) -> bool:
    """Whether observation ``name`` has a hard X-ray light curve (``hxr``)."""
    return _entry(config, name).get("hxr") is not None


def observed_targets(config: Mapping[str, Any]) -> list[str]:
    """Every result of every configured observation, and the provenance table (none: ``[]``)."""
    out = []
    for name in observation_names(config):
        out += [observed_file(name, f) for f in OBSERVED_DATA_FILES]
        out += [observed_file(name, "hxr.nc")] if has_hxr(config, name) else []
        out += [observed_file(name, f"figures/{stem}.png") for stem in OBSERVED_FIGURES]
    return out + ([PROVENANCE] if out else [])


def observation_input(config: Mapping[str, Any], basedir: str | os.PathLike[str]) -> Callable[[Any], list[str]]:
    """Input function of ``read_halpha_observation``: the configured file(s) of ``{name}``, resolved.

    A relative path is taken from the working directory if it exists there, else from the workflow
    folder ``basedir`` (the shipped example in ``resources/``).
    """

    def files(wildcards: Any) -> list[str]:
        path = _entry(config, wildcards.name)["path"]
        return [resolve(p, basedir) for p in ([path] if isinstance(path, str) else path)]

    return files


def hxr_input(config: Mapping[str, Any], basedir: str | os.PathLike[str]) -> Callable[[Any], list[str]]:
    """Input function of ``read_halpha_hxr``: the light-curve file of ``{name}``, resolved (``[]``: none)."""

    def files(wildcards: Any) -> list[str]:
        hxr = _entry(config, wildcards.name).get("hxr")
        return [] if hxr is None else [resolve(hxr["path"], basedir)]

    return files


def observed_hxr(config: Mapping[str, Any]) -> Callable[[Any], list[str]]:
    """Input function: ``hxr.nc`` of ``{name}`` if it has a light curve, else nothing."""

    def files(wildcards: Any) -> list[str]:
        return [observed_file(wildcards.name, "hxr.nc")] if has_hxr(config, wildcards.name) else []

    return files


def observation_params(config: Mapping[str, Any]) -> Callable[[Any], dict[str, Any]]:
    """Params function: :func:`dataclasses.asdict` of the :class:`Observation` ``{name}`` (a change reruns its jobs)."""

    def params(wildcards: Any) -> dict[str, Any]:
        return asdict(observation_from_config(wildcards.name, _entry(config, wildcards.name)))

    return params


def observed_with_hxr(config: Mapping[str, Any]) -> list[str]:
    """Names of the observations that have a light curve (order of ``halpha.observations``)."""
    return [n for n in observation_names(config) if has_hxr(config, n)]


def targets(config: Mapping[str, Any]) -> list[str]:
    """Every Hα result and figure, and those of each observation (``[]`` when ``halpha.enabled`` is false)."""
    if not enabled(config, "halpha"):
        return []
    return [f"{RESULTS}/{name}" for name in DATA_FILES] + figure_files() + observed_targets(config)


def report(config: Mapping[str, Any]) -> BranchReport:
    """The branch's report: tables ``recovered`` and ``fits`` (and per observation, with the provenance), the fits as headline."""
    tables = {"recovered": f"{RESULTS}/recovered.csv", "fits": f"{RESULTS}/fits.csv"}
    for name in observation_names(config) if enabled(config, "halpha") else []:
        tables[f"observed_{name}_recovered"] = observed_file(name, "recovered.csv")
        tables[f"observed_{name}_fits"] = observed_file(name, "fits.csv")
    if len(tables) > 2:
        tables["observations"] = PROVENANCE
    return BranchReport(
        category=CATEGORY,
        tables=tables,
        headlines=(
            Headline(
                "Halpha: redshift decay times and HXR correlations (full tables under Halpha)", f"{RESULTS}/fits.csv"
            ),
        ),
        inputs=tuple(targets(config)),
    )
