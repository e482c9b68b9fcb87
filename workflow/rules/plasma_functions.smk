# Functions of the plasma rules (plasma.smk): run lists and targets of the OCP/Yukawa runs
# and of the binary mixtures. Kept apart from the rules (snakemake --lint).

# --- Plasma branch (workflow/rules/plasma.smk) ---

from kineticflow.plasma.config import kappa_md, md_physics, mixture_md

PLASMA = config["plasma"]
MIXTURES = config["mixtures"]
MIXTURE_ENTRIES = {m["name"]: m for m in MIXTURES["mixtures"]}
MIXTURE_SEEDS = [str(s) for s in MIXTURES["seeds"]]
# MD settings: the physics goes into the rules' params; threads and runtime_min only into
# threads/resources (changing a scheduler limit must not rerun MD)
PLASMA_MD = PLASMA["md"]
# mixtures.md holds overrides; everything else comes from plasma.md
MIXTURE_MD = mixture_md(MIXTURES["md"], PLASMA_MD)
MIXTURE_MD_PHYSICS = md_physics(MIXTURE_MD)
PLASMA_KAPPAS = [fmt(r["kappa"]) for r in PLASMA["runs"]]
PLASMA_SEEDS = [str(s) for s in PLASMA["seeds"]]


def plasma_md_params(wildcards):
    """Physics MD settings of one run: plasma.md with its kappa entry's overrides."""
    return md_physics(kappa_md(PLASMA, float(wildcards.kappa)))


def plasma_md_runs():
    """One MD result per (kappa, gamma, seed) of the config."""
    return [
        f"results/plasma/md/kappa-{fmt(r['kappa'])}_gamma-{fmt(g)}_seed-{s}.nc"
        for r in PLASMA["runs"]
        for g in r["gammas"]
        for s in PLASMA_SEEDS
    ]


def plasma_targets():
    """OCP/Yukawa results and figures ([] when plasma.enabled is false)."""
    if not enabled("plasma"):
        return []
    return [
        "results/plasma/fits.nc",
        "results/plasma/fits.csv",
        "results/plasma/kinetic_theory.nc",
        "results/plasma/collision_frequency.nc",
        "results/plasma/eyring_exponent.nc",
        "results/plasma/figures/collision_frequency.png",
        "results/plasma/figures/d_star_all_kappa.png",
        *PLASMA_REPORT_TABLES.values(),
        *expand("results/plasma/figures/d_star_kappa-{kappa}.png", kappa=PLASMA_KAPPAS),
    ]


def mixture_runs():
    """One MD result per (mixture, gamma, seed) of the config."""
    return [
        f"results/plasma/mixtures/{name}_gamma-{fmt(g)}_seed-{s}.nc"
        for name, m in MIXTURE_ENTRIES.items()
        for g in (m.get("gammas") or MIXTURES["gammas"])
        for s in MIXTURE_SEEDS
    ]


def mixtures_targets():
    if not (enabled("plasma") and MIXTURES["enabled"]):
        return []
    return [
        "results/plasma/mixtures/diffusion.nc",
        "results/plasma/mixtures/table2.csv",
        "results/plasma/mixtures/fits.nc",
        "results/plasma/mixtures/fits.csv",
        "results/plasma/mixtures/impurity.csv",
        "results/plasma/mixtures/brownian_limit.csv",
        "results/plasma/figures/mixtures_impurity.png",
        *expand(
            "results/plasma/figures/mixtures_{mixture}.png",
            mixture=list(MIXTURE_ENTRIES),
        ),
    ]


# result tables shown in the report (core.report.display_table joins value and error columns
# with PDG rounding and shows relative columns in %; the CSVs keep the plain numbers)
PLASMA_REPORT_TABLES = {
    "model_parameters": "results/plasma/fits.csv",
    "d_star": "results/plasma/d_star.csv",
    "weak_coupling": "results/plasma/weak_coupling.csv",
    "collision_frequency": "results/plasma/collision_frequency.csv",
    "eyring_exponent": "results/plasma/eyring_exponent.csv",
}


if enabled("plasma"):
    REPORT_TABLES["Plasma"] = dict(PLASMA_REPORT_TABLES)
    if MIXTURES["enabled"]:
        REPORT_TABLES["Plasma"][
            "mixtures_table2"
        ] = "results/plasma/mixtures/table2.csv"
        REPORT_TABLES["Plasma"][
            "mixtures_impurity"
        ] = "results/plasma/mixtures/impurity.csv"
        REPORT_TABLES["Plasma"][
            "mixtures_brownian_limit"
        ] = "results/plasma/mixtures/brownian_limit.csv"
    HEADLINE["Plasma: fitted vs published model parameters (Table I)"] = [
        "results/plasma/fits.csv",
        "",
        ["kappa", "parameter", "fitted", "stderr", "published", "rel_diff"],
    ]
    HEADLINE[
        "Plasma: weak coupling, MD vs kinetic theory and the paper's model (Gamma <= 1)"
    ] = [
        "results/plasma/weak_coupling.csv",
        "",
        [
            "kappa",
            "gamma",
            "d_star",
            "d_star_err",
            "d_star_ce",
            "ratio_md_ce",
            "ratio_md_ce_err",
            "d_star_paper_model",
            "ratio_md_paper",
            "ratio_md_paper_err",
        ],
    ]
    REPORT_INPUTS.extend(plasma_targets())
