"""What the XFH rules need from the config: targets, the report, wildcards, params and memory.

Plain functions of the workflow config (``workflow/rules/xfh.smk`` imports this module and calls
them; ``snakemake --lint`` wants no functions beside the rules).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict
from typing import Any

from kineticflow.core.targets import BranchReport, Headline, enabled
from kineticflow.xfh.config import MeasureParams, ReconstructParams, SimulateParams, WaveParams, rule_params
from kineticflow.xfh.observed import reader_options, resolve_path

#: Figures of rule ``plot_xfh``, one PNG per crystal each.
FIGURES = ("hologram", "g_map", "scale", "real_space")
#: The branch's table of phases (one row per family and crystal).
PHASES_CSV = "results/xfh/phases.csv"
#: Columns of the report's headline table.
HEADLINE_COLUMNS = (
    "crystal", "h", "k", "l", "h_norm_inv_angstrom", "re_f_true", "re_g_background_subtracted",
    "sign_true", "sign_recovered",
)  # fmt: skip


#: Folder of the results of the configured observations (``results/xfh/observed/<name>/``).
OBSERVED = "observed"


def crystals(config: Mapping[str, Any]) -> list[str]:
    """The simulated crystals: ``xfh.run`` ([] without an ``xfh`` section)."""
    return list(config["xfh"]["run"]) if config.get("xfh") else []


def observations(config: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """The ``xfh.observations`` entries ({} when none: only the simulated path runs)."""
    return dict((config.get("xfh") or {}).get("observations") or {})


def cases(config: Mapping[str, Any]) -> list[str]:
    """The ``{crystal}`` wildcard values of the analysis rules: the crystals, then ``observed/<name>``."""
    return crystals(config) + [f"{OBSERVED}/{name}" for name in observations(config)]


def crystal_constraint(config: Mapping[str, Any]) -> str:
    """Regular expression of the ``{crystal}`` wildcard (crystals and observations, ``V`` if none)."""
    return "|".join(cases(config)) or "V"


def simulated_constraint(config: Mapping[str, Any]) -> str:
    """Regular expression of ``{crystal}`` in the rules of the simulated path only (``xfh.run``)."""
    return "|".join(crystals(config)) or "V"


def observation_constraint(config: Mapping[str, Any]) -> str:
    """Regular expression of the ``{observation}`` wildcard (``xfh.observations`` names, ``none`` if none)."""
    return "|".join(observations(config)) or "none"


def crystal_of(config: Mapping[str, Any], case: str) -> str:
    """The crystal of a ``{crystal}`` wildcard value: itself, or the ``crystal`` of an observation."""
    prefix = f"{OBSERVED}/"
    return str(observations(config)[case[len(prefix) :]]["crystal"]) if case.startswith(prefix) else case


def phases_inputs(config: Mapping[str, Any]) -> list[str]:
    """Inputs of rule ``collect_xfh_phases``: every crystal's ``phases.nc``, in ``xfh.run`` order."""
    return [f"results/xfh/{c}/phases.nc" for c in crystals(config)]


def observed_tables(name: str) -> dict[str, str]:
    """The report tables of one observation: its phases and its provenance (file, sha256, reader)."""
    folder = f"results/xfh/{OBSERVED}/{name}"
    return {
        f"{OBSERVED}_{name}_phases": f"{folder}/phases.csv",
        f"{OBSERVED}_{name}_provenance": f"{folder}/provenance.csv",
    }


def targets(config: Mapping[str, Any]) -> list[str]:
    """Every XFH result and report figure (``[]`` when ``xfh.enabled`` is false)."""
    if not enabled(config, "xfh"):
        return []
    out = [PHASES_CSV] if crystals(config) else []
    for name in observations(config):
        out += observed_tables(name).values()
    return out + [f"results/xfh/{c}/figures/{f}.png" for c in cases(config) for f in FIGURES]


def report(config: Mapping[str, Any]) -> BranchReport:
    """The XFH part of the report: the phases table and the signs at the Bragg-accessible reflections."""
    headline = Headline(
        "XFH: sign of Re F_h from Re G at the Bragg-accessible reflections",
        PHASES_CSV,
        "bragg_accessible",
        HEADLINE_COLUMNS,
    )
    simulated = bool(crystals(config))
    tables = {"phases": PHASES_CSV} if simulated else {}
    for name in observations(config):
        tables.update(observed_tables(name))
    return BranchReport("XFH", tables, (headline,) if simulated else (), tuple(targets(config)))


def simulate_params(config: Mapping[str, Any]) -> Callable[[Any], dict[str, Any]]:
    """``params:`` of rule ``simulate_hologram``: the fields of :class:`SimulateParams` of the crystal.

    A dict of plain values (not the dataclass), so that Snakemake records it and reruns the rule
    when it changes; the script rebuilds the dataclass.
    """
    return lambda wildcards: rule_params(SimulateParams.from_config(config["xfh"], wildcards.crystal))


def measure_params(config: Mapping[str, Any]) -> dict[str, Any]:
    """``params:`` of rule ``measure_hologram``: the fields of :class:`MeasureParams` (every crystal)."""
    return asdict(MeasureParams.from_config(config["xfh"]))


def reconstruct_params(config: Mapping[str, Any]) -> Callable[[Any], dict[str, Any]]:
    """``params:`` of rule ``reconstruct_hologram``: the fields of :class:`ReconstructParams` of the crystal."""
    return lambda wildcards: rule_params(
        ReconstructParams.from_config(config["xfh"], crystal_of(config, wildcards.crystal))
    )


def observation_file(config: Mapping[str, Any], basedir: str) -> Callable[[Any], str]:
    """Input of rule ``measure_observed_hologram``: the observation's file (relative to ``basedir`` if not found)."""
    return lambda wildcards: str(resolve_path(observations(config)[wildcards.observation]["path"], basedir))


def observation_reader(config: Mapping[str, Any]) -> Callable[[Any], dict[str, Any]]:
    """``params: reader`` of rule ``measure_observed_hologram``: the ``read_hologram`` options of the entry."""
    return lambda wildcards: reader_options(observations(config)[wildcards.observation])


def observation_wave(config: Mapping[str, Any]) -> Callable[[Any], dict[str, Any]]:
    """``params: wave`` of rule ``measure_observed_hologram``: :class:`WaveParams` of the observation's crystal."""

    def wave(wildcards: Any) -> dict[str, Any]:
        crystal = observations(config)[wildcards.observation]["crystal"]
        return rule_params(WaveParams(**WaveParams.wave_fields(config["xfh"], crystal)))

    return wave


def object_term(config: Mapping[str, Any]) -> bool:
    """``xfh.object_term`` (Eq. 10), recorded with a measured hologram for ``fit_phases``."""
    return bool(config["xfh"]["object_term"])


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
        case = getattr(wildcards, "crystal", None)
        crystal = crystal_of(config, case) if case else observations(config)[wildcards.observation]["crystal"]
        pixels = x["crystals"][crystal].get("n_pixels", 320000)
        return int(800 + 12 * x["chunk_elements"] / 1e6 + 200 * pixels / 1e6) * attempt

    return estimate
