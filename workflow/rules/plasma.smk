# Plasma branch: LAMMPS MD of the OCP and Yukawa OCP -> Green-Kubo D* -> model fits.
# Physics: SPEC.md "Branch 2"; plasma paper Eqs 1-4, Table I.
# Targets and helper functions: common.smk.


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
    threads: PLASMA["md"]["threads"]
    resources:
        mem_mb=4000,
        runtime=PLASMA["md"]["runtime_min"],
        cpus_per_task=PLASMA["md"]["threads"],
        mpi_ranks=PLASMA["md"]["threads"],
    params:
        md=PLASMA["md"],
    script:
        "../scripts/simulate_md.py"


rule green_kubo:
    input:
        plasma_md_runs(),
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
        green_kubo=PLASMA["green_kubo"],
    script:
        "../scripts/green_kubo.py"


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
        fits=PLASMA["fits"],
    script:
        "../scripts/fit_diffusion_models.py"


rule plot_plasma:
    input:
        diffusion="results/plasma/diffusion.nc",
        fits="results/plasma/fits.nc",
    output:
        report(
            "results/plasma/figures/d_star_kappa-{kappa}.png",
            category="Plasma diffusion",
            caption="../report/plasma_d_star.rst",
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
        "../scripts/plot_plasma.py"
