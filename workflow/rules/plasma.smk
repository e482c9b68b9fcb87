# Plasma branch: LAMMPS MD of the OCP and Yukawa OCP -> Green-Kubo D* -> model fits, and the
# binary ionic mixtures (plasma.mixtures). Physics: docs/plasma.md; plasma paper Eqs 1-6, Tables I-II.
# One function per rule in kineticflow.plasma.steps; targets, wildcard lists, input functions and
# resources in kineticflow.plasma.targets; the rules' params from kineticflow.plasma.config.Params
# (settings as plain dicts, so that Snakemake sees a changed value). MD settings: the physics goes
# into params, threads and runtime_min only into threads/resources (a new scheduler limit must not
# rerun MD).

from kineticflow.plasma import targets as plasma_targets
from kineticflow.plasma.config import Params as PlasmaParams

PLASMA_PARAMS = PlasmaParams.from_config(config["plasma"])
PLASMA_MIXTURE_MD = plasma_targets.mixture_md(config)


wildcard_constraints:
    kappa=r"[0-9]+(\.[0-9]+)?",
    gamma=r"[0-9]+(\.[0-9]+)?",
    seed=r"[0-9]+",


rule simulate_md:
    output:
        nc="results/plasma/md/kappa-{kappa}_gamma-{gamma}_seed-{seed}.nc",
        lammps_input="results/plasma/md/kappa-{kappa}_gamma-{gamma}_seed-{seed}.in.lammps",
        lammps_log="results/plasma/md/kappa-{kappa}_gamma-{gamma}_seed-{seed}.log.lammps",
    log:
        "results/logs/plasma/simulate_md/kappa-{kappa}_gamma-{gamma}_seed-{seed}.log",
    benchmark:
        "results/benchmarks/plasma/simulate_md/kappa-{kappa}_gamma-{gamma}_seed-{seed}.tsv"
    conda:
        ENV
    threads: plasma_targets.md_threads(config)
    resources:
        mem_mb=lambda wc: plasma_targets.md_mem_mb(config, wc.kappa, wc.gamma),
        runtime=plasma_targets.md_runtime_min(config),
        cpus_per_task=plasma_targets.md_threads(config),
        mpi_ranks=plasma_targets.md_threads(config),
    params:
        md=lambda wc: PLASMA_PARAMS.md[float(wc.kappa)],
    script:
        "../scripts/plasma/simulate_md.py"


rule green_kubo:
    input:
        plasma_targets.md_runs(config),
    output:
        "results/plasma/diffusion.nc",
    log:
        "results/logs/plasma/green_kubo.log",
    benchmark:
        "results/benchmarks/plasma/green_kubo.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        green_kubo=PlasmaParams.rule_param(PLASMA_PARAMS.green_kubo),
    script:
        "../scripts/plasma/green_kubo.py"


rule fit_diffusion_models:
    input:
        "results/plasma/diffusion.nc",
    output:
        nc="results/plasma/fits.nc",
        csv="results/plasma/fits.csv",
        d_star_csv="results/plasma/d_star.csv",
    log:
        "results/logs/plasma/fit_diffusion_models.log",
    benchmark:
        "results/benchmarks/plasma/fit_diffusion_models.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        fits=PlasmaParams.rule_param(PLASMA_PARAMS.fits),
    script:
        "../scripts/plasma/fit_diffusion_models.py"


# Weak-coupling kinetic theory at the MD points (Boltzmann-Chapman-Enskog; Landau for kappa = 0):
# a result beside the MD, which the figure only reads.
rule kinetic_theory:
    input:
        "results/plasma/diffusion.nc",
    output:
        nc="results/plasma/kinetic_theory.nc",
        csv="results/plasma/weak_coupling.csv",
    log:
        "results/logs/plasma/kinetic_theory.log",
    benchmark:
        "results/benchmarks/plasma/kinetic_theory.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    script:
        "../scripts/plasma/kinetic_theory.py"


# Fig. 1, bottom-left inset: nu/omega_p = 1/(3 Gamma D*) from MD and Eq. 2, the Gamma << 1 limit and
# the Rutherford ansatz; the saturation near 0.25 omega_p for 4 <= Gamma <= 30.
rule collision_frequency:
    input:
        diffusion="results/plasma/diffusion.nc",
        fits="results/plasma/fits.nc",
    output:
        nc="results/plasma/collision_frequency.nc",
        csv="results/plasma/collision_frequency.csv",
    log:
        "results/logs/plasma/collision_frequency.log",
    benchmark:
        "results/benchmarks/plasma/collision_frequency.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    script:
        "../scripts/plasma/collision_frequency.py"


rule plot_collision_frequency:
    input:
        "results/plasma/collision_frequency.nc",
    output:
        report(
            "results/plasma/figures/collision_frequency.png",
            category="Plasma",
            caption="../report/plasma/collision_frequency.rst",
        ),
    log:
        "results/logs/plasma/plot_collision_frequency.log",
    benchmark:
        "results/benchmarks/plasma/plot_collision_frequency.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    script:
        "../scripts/plasma/plot_collision_frequency.py"


# Footnote 18: the Eyring model with a free power of Gamma, and gamma = B Gamma_m beside Table I.
rule eyring_exponent:
    input:
        diffusion="results/plasma/diffusion.nc",
        fits="results/plasma/fits.nc",
    output:
        nc="results/plasma/eyring_exponent.nc",
        csv="results/plasma/eyring_exponent.csv",
    log:
        "results/logs/plasma/eyring_exponent.log",
    benchmark:
        "results/benchmarks/plasma/eyring_exponent.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        fits=PlasmaParams.rule_param(PLASMA_PARAMS.fits),
    script:
        "../scripts/plasma/eyring_exponent.py"


# Issue 26: Rosenfeld's corresponding-states scaling, D_R = 0.6204 sqrt(3 Gamma) D* against
# Gamma/Gamma_m for every kappa, beside Table I's models (PRE 62, 7524 (2000)).
rule corresponding_states:
    input:
        "results/plasma/diffusion.nc",
    output:
        csv="results/plasma/corresponding_states.csv",
        figure=report(
            "results/plasma/figures/corresponding_states.png",
            category="Plasma",
            caption="../report/plasma/corresponding_states.rst",
        ),
    log:
        "results/logs/plasma/corresponding_states.log",
    benchmark:
        "results/benchmarks/plasma/corresponding_states.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/plasma/corresponding_states.py"


rule plot_d_star_all_kappa:
    input:
        diffusion="results/plasma/diffusion.nc",
        fits="results/plasma/fits.nc",
    output:
        report(
            "results/plasma/figures/d_star_all_kappa.png",
            category="Plasma",
            caption="../report/plasma/d_star_all_kappa.rst",
        ),
    log:
        "results/logs/plasma/plot_d_star_all_kappa.log",
    benchmark:
        "results/benchmarks/plasma/plot_d_star_all_kappa.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    script:
        "../scripts/plasma/plot_d_star_all_kappa.py"


rule plot_plasma:
    input:
        diffusion="results/plasma/diffusion.nc",
        fits="results/plasma/fits.nc",
        theory="results/plasma/kinetic_theory.nc",
    output:
        report(
            "results/plasma/figures/d_star_kappa-{kappa}.png",
            category="Plasma",
            caption="../report/plasma/d_star.rst",
        ),
    log:
        "results/logs/plasma/plot_plasma/kappa-{kappa}.log",
    benchmark:
        "results/benchmarks/plasma/plot_plasma/kappa-{kappa}.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    script:
        "../scripts/plasma/plot_plasma.py"


# Binary ionic mixtures: per-species D_j, the mixing rule D12 = x2 D1 + x1 D2,
# Eq. 5 / Eq. 6 fits per species, Table II comparison. Physics: plasma paper Eqs 5-6, Table II;
# src/kineticflow/plasma/mixtures/. Opt-in: plasma.mixtures.enabled (config/mixtures.yaml turns it on).


wildcard_constraints:
    mixture=r"[A-Za-z0-9][A-Za-z0-9.\-]*",


rule simulate_mixture:
    output:
        nc="results/plasma/mixtures/{mixture}_gamma-{gamma}_seed-{seed}.nc",
        lammps_input="results/plasma/mixtures/{mixture}_gamma-{gamma}_seed-{seed}.in.lammps",
        lammps_log="results/plasma/mixtures/{mixture}_gamma-{gamma}_seed-{seed}.log.lammps",
    log:
        "results/logs/plasma/simulate_mixture/{mixture}_gamma-{gamma}_seed-{seed}.log",
    benchmark:
        "results/benchmarks/plasma/simulate_mixture/{mixture}_gamma-{gamma}_seed-{seed}.tsv"
    conda:
        ENV
    threads: PLASMA_MIXTURE_MD["threads"]
    resources:
        mem_mb=lambda wc: plasma_targets.mixture_mem_mb(config, wc.mixture, wc.gamma),
        runtime=PLASMA_MIXTURE_MD["runtime_min"],
        cpus_per_task=PLASMA_MIXTURE_MD["threads"],
        mpi_ranks=PLASMA_MIXTURE_MD["threads"],
    params:
        md=PLASMA_PARAMS.mixture_md,
        mixture=lambda wc: plasma_targets.mixture_entries(config)[wc.mixture],
    script:
        "../scripts/plasma/simulate_mixture.py"


# Green-Kubo D_j of every mixture run (as green_kubo for the OCP): the tail correction is a
# parameter of this rule only, so changing it does not rerun MD.
rule mixture_green_kubo:
    input:
        plasma_targets.mixture_runs(config),
    output:
        nc="results/plasma/mixtures/diffusion.nc",
        csv="results/plasma/mixtures/table2.csv",
    log:
        "results/logs/plasma/mixture_green_kubo.log",
    benchmark:
        "results/benchmarks/plasma/mixture_green_kubo.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        tail_correction=PLASMA_PARAMS.green_kubo.tail_correction,
    script:
        "../scripts/plasma/mixture_green_kubo.py"


rule fit_mixture_models:
    input:
        "results/plasma/mixtures/diffusion.nc",
    output:
        nc="results/plasma/mixtures/fits.nc",
        csv="results/plasma/mixtures/fits.csv",
    log:
        "results/logs/plasma/fit_mixture_models.log",
    benchmark:
        "results/benchmarks/plasma/fit_mixture_models.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        fits=PlasmaParams.rule_param(PLASMA_PARAMS.mixture_fits),
    script:
        "../scripts/plasma/fit_mixture_models.py"


rule plot_mixtures:
    input:
        diffusion="results/plasma/mixtures/diffusion.nc",
        fits="results/plasma/mixtures/fits.nc",
    output:
        report(
            "results/plasma/figures/mixtures_{mixture}.png",
            category="Plasma",
            subcategory="mixtures",
            caption="../report/plasma/mixtures.rst",
            labels={"mixture": "{mixture}"},
        ),
    log:
        "results/logs/plasma/plot_mixtures/{mixture}.log",
    benchmark:
        "results/benchmarks/plasma/plot_mixtures/{mixture}.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    script:
        "../scripts/plasma/plot_mixtures.py"


# Fig. 3: impurity VACFs (caging vs Brownian decay), D2/D1 against Gamma, and the Brownian limit
# D2(m2/m1 = 10) ~ D2(100) at x2 = 0.005.
rule mixture_impurity:
    input:
        diffusion="results/plasma/mixtures/diffusion.nc",
        runs=plasma_targets.mixture_runs(config),
    output:
        impurity="results/plasma/mixtures/impurity.csv",
        brownian="results/plasma/mixtures/brownian_limit.csv",
        figure=report(
            "results/plasma/figures/mixtures_impurity.png",
            category="Plasma",
            subcategory="mixtures",
            caption="../report/plasma/mixtures_impurity.rst",
        ),
    log:
        "results/logs/plasma/mixture_impurity.log",
    benchmark:
        "results/benchmarks/plasma/mixture_impurity.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    script:
        "../scripts/plasma/mixture_impurity.py"


# A user's data (plasma.observations.<name>, docs/plasma.md "Your own data"): velocities -> VACF ->
# D* by the green_kubo code; a D* table -> the fits and the figure. Results in results/plasma/observed/.
rule correlate_observed_velocities:
    input:
        plasma_targets.observation_file(config, workflow.basedir),
    output:
        nc="results/plasma/observed/{observation}/vacf.nc",
        provenance="results/plasma/observed/{observation}/provenance.csv",
    log:
        "results/logs/plasma/correlate_observed_velocities/{observation}.log",
    benchmark:
        "results/benchmarks/plasma/correlate_observed_velocities/{observation}.tsv"
    wildcard_constraints:
        observation=plasma_targets.observation_constraint(config, ("dump", "h5md")),
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=4000,
        runtime=30,
    params:
        format=plasma_targets.observation_params(config, "format"),
        reader=plasma_targets.observation_params(config, "reader"),
        correlation=plasma_targets.observation_params(config, "correlation"),
    script:
        "../scripts/plasma/correlate_observed_velocities.py"


rule observed_green_kubo:
    input:
        "results/plasma/observed/{observation}/vacf.nc",
    output:
        "results/plasma/observed/{observation}/diffusion.nc",
    log:
        "results/logs/plasma/observed_green_kubo/{observation}.log",
    benchmark:
        "results/benchmarks/plasma/observed_green_kubo/{observation}.tsv"
    wildcard_constraints:
        observation=plasma_targets.observation_constraint(config, ("dump", "h5md")),
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        green_kubo=PlasmaParams.rule_param(PLASMA_PARAMS.green_kubo),
    script:
        "../scripts/plasma/observed_green_kubo.py"


rule read_observed_d_star:
    input:
        plasma_targets.observation_file(config, workflow.basedir),
    output:
        nc="results/plasma/observed/{observation}/diffusion.nc",
        provenance="results/plasma/observed/{observation}/provenance.csv",
    log:
        "results/logs/plasma/read_observed_d_star/{observation}.log",
    benchmark:
        "results/benchmarks/plasma/read_observed_d_star/{observation}.tsv"
    wildcard_constraints:
        observation=plasma_targets.observation_constraint(config, ("table",)),
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/plasma/read_observed_d_star.py"


rule fit_observed_diffusion_models:
    input:
        "results/plasma/observed/{observation}/diffusion.nc",
    output:
        nc="results/plasma/observed/{observation}/fits.nc",
        csv="results/plasma/observed/{observation}/fits.csv",
        d_star_csv="results/plasma/observed/{observation}/d_star.csv",
    log:
        "results/logs/plasma/fit_observed_diffusion_models/{observation}.log",
    benchmark:
        "results/benchmarks/plasma/fit_observed_diffusion_models/{observation}.tsv"
    wildcard_constraints:
        observation=plasma_targets.observation_constraint(config),
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        fits=PlasmaParams.rule_param(PLASMA_PARAMS.fits),
    script:
        "../scripts/plasma/fit_observed_diffusion_models.py"


rule plot_observed_d_star:
    input:
        diffusion="results/plasma/observed/{observation}/diffusion.nc",
        fits="results/plasma/observed/{observation}/fits.nc",
    output:
        report(
            "results/plasma/observed/{observation}/figures/d_star_all_kappa.png",
            category="Plasma",
            subcategory="observed {observation}",
            caption="../report/plasma/d_star_all_kappa.rst",
        ),
    log:
        "results/logs/plasma/plot_observed_d_star/{observation}.log",
    benchmark:
        "results/benchmarks/plasma/plot_observed_d_star/{observation}.tsv"
    wildcard_constraints:
        observation=plasma_targets.observation_constraint(config),
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    script:
        "../scripts/plasma/plot_observed_d_star.py"
