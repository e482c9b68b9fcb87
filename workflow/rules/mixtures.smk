# Binary ionic mixtures (issue 9): per-species D_j, the mixing rule D12 = x2 D1 + x1 D2,
# Eq. 5 / Eq. 6 fits per species, Table II comparison. Physics: plasma paper Eqs 5-6, Table II;
# src/kineticflow/mixtures.py. Opt-in: mixtures.enabled (config/mixtures.yaml turns it on).

MIXTURES = config["mixtures"]
MIXTURE_ENTRIES = {m["name"]: m for m in MIXTURES["mixtures"]}
MIXTURE_SEEDS = [str(s) for s in MIXTURES["seeds"]]
# mixtures.md holds overrides; everything else comes from plasma.md
MIXTURE_MD = {
    **config["plasma"]["md"],
    **{k: v for k, v in MIXTURES["md"].items() if v is not None},
}


wildcard_constraints:
    mixture=r"[A-Za-z0-9][A-Za-z0-9.\-]*",


include: "mixtures_functions.smk"


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
    threads: MIXTURE_MD["threads"]
    resources:
        mem_mb=4000,
        runtime=MIXTURE_MD["runtime_min"],
        cpus_per_task=MIXTURE_MD["threads"],
        mpi_ranks=MIXTURE_MD["threads"],
    params:
        md=MIXTURE_MD,
        mixture=lambda wc: MIXTURE_ENTRIES[wc.mixture],
        tail_correction=config["plasma"]["green_kubo"]["tail_correction"],
    script:
        "../scripts/simulate_mixture.py"


rule collect_mixture_diffusion:
    input:
        mixture_runs(),
    output:
        nc="results/plasma/mixtures/diffusion.nc",
        csv="results/plasma/mixtures/table2.csv",
    log:
        "results/logs/plasma/collect_mixture_diffusion.log",
    benchmark:
        "results/benchmarks/plasma/collect_mixture_diffusion.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    script:
        "../scripts/collect_mixture_diffusion.py"


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
        fits=MIXTURES["fits"],
    script:
        "../scripts/fit_mixture_models.py"


rule plot_mixtures:
    input:
        diffusion="results/plasma/mixtures/diffusion.nc",
        fits="results/plasma/mixtures/fits.nc",
    output:
        report(
            "results/plasma/figures/mixtures_{mixture}.png",
            category="Plasma",
            subcategory="mixtures",
            caption="../report/mixtures.rst",
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
        "../scripts/plot_mixtures.py"
