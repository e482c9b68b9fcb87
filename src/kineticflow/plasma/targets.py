"""Result files, report tables, wildcard lists, input functions and resources of the plasma rules.

Plain functions of the config (``workflow/rules/plasma.smk`` calls them; ``snakemake --lint``
wants no ``def`` beside the rules). Paths are relative to the working directory. The OCP /
Yukawa runs are ``plasma.runs`` × ``plasma.seeds``; the mixtures (``plasma.mixtures``, opt-in)
add their own runs and results.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from kineticflow.core.targets import BranchReport, Headline, enabled, fmt

CATEGORY = "Plasma"
#: Scheduler memory of one MD job at least (MB); larger runs get :func:`md_mem_mb`.
MD_MEM_MB_MIN = 4000

#: Result tables of the OCP / Yukawa runs shown in the report: {table name: CSV}. The report joins
#: value and ``*_stderr`` columns with PDG rounding and shows relative columns in %.
TABLES = {
    "model_parameters": "results/plasma/fits.csv",
    "d_star": "results/plasma/d_star.csv",
    "weak_coupling": "results/plasma/weak_coupling.csv",
    "collision_frequency": "results/plasma/collision_frequency.csv",
    "eyring_exponent": "results/plasma/eyring_exponent.csv",
    "corresponding_states": "results/plasma/corresponding_states.csv",
}
#: Result tables of the mixtures (when ``plasma.mixtures.enabled``).
MIXTURE_TABLES = {
    "mixtures_table2": "results/plasma/mixtures/table2.csv",
    "mixtures_impurity": "results/plasma/mixtures/impurity.csv",
    "mixtures_brownian_limit": "results/plasma/mixtures/brownian_limit.csv",
}
HEADLINES = (
    Headline(
        "Plasma: fitted vs published model parameters (Table I)",
        "results/plasma/fits.csv",
        "",
        ("kappa", "parameter", "fitted", "fitted_stderr", "published", "rel_diff", "note"),
    ),
    Headline(
        "Plasma: weak coupling, MD vs kinetic theory and the paper's model (Gamma <= 1)",
        "results/plasma/weak_coupling.csv",
        "",
        (
            "kappa",
            "gamma",
            "d_star",
            "d_star_stderr",
            "d_star_ce",
            "ratio_md_ce",
            "ratio_md_ce_stderr",
            "d_star_paper_model",
            "ratio_md_paper",
            "ratio_md_paper_stderr",
        ),
    ),
)


def section(config: Mapping[str, Any]) -> Mapping[str, Any]:
    """The ``plasma`` section (empty if absent)."""
    return config.get("plasma", {})


def mixtures_section(config: Mapping[str, Any]) -> Mapping[str, Any]:
    """The ``plasma.mixtures`` section (empty if absent)."""
    return section(config).get("mixtures", {})


def mixtures_enabled(config: Mapping[str, Any]) -> bool:
    """Whether the mixtures run: ``plasma.enabled`` and ``plasma.mixtures.enabled``."""
    return enabled(config, "plasma") and bool(mixtures_section(config).get("enabled", False))


def kappas(config: Mapping[str, Any]) -> list[str]:
    """The κ of ``plasma.runs`` as wildcard values (``fmt``: 0, 1, 2, 4)."""
    return [fmt(r["kappa"]) for r in section(config).get("runs", [])]


def md_runs(config: Mapping[str, Any]) -> list[str]:
    """One MD result per (κ, Γ, seed) of ``plasma.runs`` × ``plasma.seeds``: the input of ``green_kubo``."""
    seeds = [str(s) for s in section(config).get("seeds", [])]
    return [
        f"results/plasma/md/kappa-{fmt(r['kappa'])}_gamma-{fmt(g)}_seed-{s}.nc"
        for r in section(config).get("runs", [])
        for g in r["gammas"]
        for s in seeds
    ]


def mixture_entries(config: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """``{name: entry}`` of ``plasma.mixtures.mixtures`` (the ``mixture`` wildcard's values)."""
    return {str(m["name"]): m for m in mixtures_section(config).get("mixtures", [])}


def mixture_runs(config: Mapping[str, Any]) -> list[str]:
    """One MD result per (mixture, Γ, seed): the input of ``mixture_green_kubo`` and ``mixture_impurity``."""
    mixtures = mixtures_section(config)
    seeds = [str(s) for s in mixtures.get("seeds", [])]
    return [
        f"results/plasma/mixtures/{name}_gamma-{fmt(g)}_seed-{s}.nc"
        for name, m in mixture_entries(config).items()
        for g in (m.get("gammas") or mixtures.get("gammas", []))
        for s in seeds
    ]


def ocp_targets(config: Mapping[str, Any]) -> list[str]:
    """Results and figures of the OCP / Yukawa runs."""
    return [
        "results/plasma/diffusion.nc",
        "results/plasma/fits.nc",
        "results/plasma/kinetic_theory.nc",
        "results/plasma/collision_frequency.nc",
        "results/plasma/eyring_exponent.nc",
        "results/plasma/figures/collision_frequency.png",
        "results/plasma/figures/d_star_all_kappa.png",
        "results/plasma/figures/corresponding_states.png",
        *TABLES.values(),
        *(f"results/plasma/figures/d_star_kappa-{k}.png" for k in kappas(config)),
    ]


def mixture_targets(config: Mapping[str, Any]) -> list[str]:
    """Results and figures of the mixtures ([] unless ``plasma.mixtures.enabled``)."""
    if not mixtures_enabled(config):
        return []
    return [
        "results/plasma/mixtures/diffusion.nc",
        "results/plasma/mixtures/fits.nc",
        "results/plasma/mixtures/fits.csv",
        *MIXTURE_TABLES.values(),
        "results/plasma/figures/mixtures_impurity.png",
        *(f"results/plasma/figures/mixtures_{name}.png" for name in mixture_entries(config)),
    ]


def observations(config: Mapping[str, Any], formats: tuple[str, ...] = ("dump", "h5md", "table")) -> list[str]:
    """Names of the ``plasma.observations`` entries of the given formats ([] when none)."""
    return [n for n, e in (section(config).get("observations") or {}).items() if e["format"] in formats]


def observation_constraint(config: Mapping[str, Any], formats: tuple[str, ...] = ("dump", "h5md", "table")) -> str:
    """Regular expression of the ``{observation}`` wildcard for these formats (``none`` if there is none)."""
    return "|".join(observations(config, formats)) or "none"


def observed_tables(config: Mapping[str, Any]) -> dict[str, str]:
    """Report tables of the observations: provenance of each, and the fits and D* of each table."""
    out = {}
    for name in observations(config):
        folder = f"results/plasma/observed/{name}"
        out[f"observed_{name}_provenance"] = f"{folder}/provenance.csv"
        if name in observations(config, ("table",)):
            out[f"observed_{name}_model_parameters"] = f"{folder}/fits.csv"
            out[f"observed_{name}_d_star"] = f"{folder}/d_star.csv"
    return out


def observed_targets(config: Mapping[str, Any]) -> list[str]:
    """Results of the configured observations: D* of each, the fits and figure of each D* table."""
    out = list(observed_tables(config).values())
    out += [f"results/plasma/observed/{n}/diffusion.nc" for n in observations(config)]
    out += [f"results/plasma/observed/{n}/figures/d_star_all_kappa.png" for n in observations(config, ("table",))]
    return out


def targets(config: Mapping[str, Any]) -> list[str]:
    """Every result file of the branch ([] when ``plasma.enabled`` is false)."""
    if not enabled(config, "plasma"):
        return []
    ocp = ocp_targets(config) if section(config).get("runs") else []
    return ocp + mixture_targets(config) + observed_targets(config)


def observation_entry(config: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    """The ``plasma.observations`` entry ``name``."""
    return section(config)["observations"][name]


def observation_file(config: Mapping[str, Any], basedir: str) -> Callable[[Any], str]:
    """Input of the observation readers: the entry's file (relative to ``basedir`` if not found)."""
    from kineticflow.plasma.observed import resolve_path  # noqa: PLC0415

    return lambda wc: str(resolve_path(observation_entry(config, wc.observation)["path"], basedir))


def observation_params(config: Mapping[str, Any], part: str) -> Callable[[Any], Any]:
    """``params:`` of rule ``correlate_observed_velocities``: ``format``, ``reader`` or ``correlation`` of the entry."""
    from kineticflow.plasma.observed import correlation_options, reader_options  # noqa: PLC0415

    pick = {"format": lambda e: e["format"], "reader": reader_options, "correlation": correlation_options}[part]
    return lambda wc: pick(observation_entry(config, wc.observation))


def report(config: Mapping[str, Any]) -> BranchReport:
    """The branch's part of the report: its tables, the two headline tables, the files it waits for."""
    tables = dict(TABLES) if section(config).get("runs") else {}
    if mixtures_enabled(config):
        tables.update(MIXTURE_TABLES)
    tables.update(observed_tables(config))
    headlines = HEADLINES if section(config).get("runs") else ()
    return BranchReport(CATEGORY, tables=tables, headlines=headlines, inputs=tuple(targets(config)))


def md_threads(config: Mapping[str, Any]) -> int:
    """MPI ranks of one ``simulate_md`` job (``plasma.md.threads``): a Snakemake ``threads``, not a param."""
    return int(section(config)["md"]["threads"])


def md_runtime_min(config: Mapping[str, Any]) -> int:
    """Scheduler time limit of one ``simulate_md`` job, minutes (``plasma.md.runtime_min``)."""
    return int(section(config)["md"]["runtime_min"])


def mixture_md(config: Mapping[str, Any]) -> dict[str, Any]:
    """All MD settings of the mixture runs, scheduling keys included (``plasma.mixtures.md`` over ``plasma.md``)."""
    from kineticflow.plasma.mixtures.config import mixture_md as merge  # noqa: PLC0415

    return merge(mixtures_section(config).get("md", {}), section(config)["md"])


def _trajectory_mb(n_particles: int, n_frames: int) -> int:
    """Peak memory (MB) of reading and correlating ``n_frames`` frames of N particles.

    Reading a binary dump holds the file, the frames, the stacked and the id-ordered copies
    (4 doubles per atom each), and the correlation a scaled copy and the FFT work of one group:
    ~24 doubles per atom and frame, with a factor 1.5 for Python and LAMMPS output beside.
    """
    return math.ceil(1.5 * 24 * 8 * n_particles * n_frames / 2**20)


def md_mem_mb(config: Mapping[str, Any], kappa: str | float, gamma: str | float) -> int:
    """Scheduler memory of one ``simulate_md`` job (MB): :data:`MD_MEM_MB_MIN` or what its trajectory needs."""
    from kineticflow.plasma.ocp.config import kappa_md  # noqa: PLC0415
    from kineticflow.plasma.ocp.md import ocp_schedule  # noqa: PLC0415

    md = kappa_md(section(config), float(kappa))
    sched = ocp_schedule(float(gamma), float(kappa), md)
    frames = sched.n_production // sched.dump_every + 1
    frames += frames // int(md["msd_every"]) + 1  # unwrapped positions
    return max(MD_MEM_MB_MIN, _trajectory_mb(int(md["n_particles"]), frames))


def mixture_mem_mb(config: Mapping[str, Any], mixture: str, gamma: str | float) -> int:
    """Scheduler memory of one ``simulate_mixture`` job (MB): :data:`MD_MEM_MB_MIN` or what its trajectory needs."""
    from kineticflow.plasma.mixtures.formulas import Mixture  # noqa: PLC0415
    from kineticflow.plasma.mixtures.md import mixture_schedule  # noqa: PLC0415

    md = mixture_md(config)
    sched = mixture_schedule(Mixture.from_config(mixture_entries(config)[mixture]), float(gamma), md)
    frames = sched.n_production // sched.dump_every + 1
    return max(MD_MEM_MB_MIN, _trajectory_mb(int(md["n_particles"]), frames))
