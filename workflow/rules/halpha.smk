# Halpha branch: NLTE profile grid (Lightweaver) -> synthetic flare -> slit-scan observation ->
# line diagnostics -> recovered parameters and HXR timing. Physics: docs/halpha.md.
# One function per rule in kineticflow.halpha.steps (named as the rule); targets, wildcard lists
# and the report in kineticflow.halpha.targets; params from kineticflow.halpha.config.Params.

from dataclasses import asdict

from kineticflow.halpha import targets as halpha_files
from kineticflow.halpha.config import Params as HalphaParams

HALPHA = HalphaParams.from_config(config["halpha"])


rule synthesise_profiles:
    output:
        "results/halpha/profiles/p0-{p0}_f20-{f20}.nc",
    log:
        "results/logs/halpha/synthesise_profiles/p0-{p0}_f20-{f20}.log",
    benchmark:
        "results/benchmarks/halpha/synthesise_profiles/p0-{p0}_f20-{f20}.tsv"
    wildcard_constraints:
        p0=r"[0-9.e+-]+",
        f20=r"[0-9.e+-]+",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=500,
        runtime=10,
    params:
        synthesis=asdict(HALPHA.synthesis),
        beam=asdict(HALPHA.beam),
        solver=asdict(HALPHA.solver),
    script:
        "../scripts/halpha/synthesise_profiles.py"


rule collect_profiles:
    input:
        cases=halpha_files.profile_files(config),
        quiet=halpha_files.quiet_profile(),
    output:
        "results/halpha/profiles.nc",
    log:
        "results/logs/halpha/collect_profiles.log",
    benchmark:
        "results/benchmarks/halpha/collect_profiles.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        p0_grid=HALPHA.p0_grid,
        f20_grid=HALPHA.f20_grid,
    script:
        "../scripts/halpha/collect_profiles.py"


rule simulate_flare:
    input:
        "results/halpha/profiles.nc",
    output:
        "results/halpha/truth.nc",
    log:
        "results/logs/halpha/simulate_flare.log",
    benchmark:
        "results/benchmarks/halpha/simulate_flare.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=5,
    params:
        flare=asdict(HALPHA.flare),
        scan=asdict(HALPHA.scan),
    script:
        "../scripts/halpha/simulate_flare.py"


rule observe_slit_scan:
    input:
        "results/halpha/truth.nc",
    output:
        "results/halpha/observed.nc",
    log:
        "results/logs/halpha/observe_slit_scan.log",
    benchmark:
        "results/benchmarks/halpha/observe_slit_scan.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=5,
    params:
        instrument=asdict(HALPHA.instrument),
        scan=asdict(HALPHA.scan),
        seed=HALPHA.seed,
    script:
        "../scripts/halpha/observe_slit_scan.py"


rule measure_lines:
    input:
        observed="results/halpha/observed.nc",
        truth="results/halpha/truth.nc",
    output:
        "results/halpha/diagnostics.nc",
    log:
        "results/logs/halpha/measure_lines.log",
    benchmark:
        "results/benchmarks/halpha/measure_lines.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        measure=asdict(HALPHA.measure),
        tracked=HALPHA.flare.tracked,
        seed=HALPHA.seed,
    script:
        "../scripts/halpha/measure_lines.py"


rule infer_parameters:
    input:
        diagnostics="results/halpha/diagnostics.nc",
        truth="results/halpha/truth.nc",
        profiles="results/halpha/profiles.nc",
    output:
        recovered="results/halpha/recovered.csv",
        fits="results/halpha/fits.nc",
        fits_table="results/halpha/fits.csv",
    log:
        "results/logs/halpha/infer_parameters.log",
    benchmark:
        "results/benchmarks/halpha/infer_parameters.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        measure=asdict(HALPHA.measure),
        flare=asdict(HALPHA.flare),
    script:
        "../scripts/halpha/infer_parameters.py"


rule plot_halpha:
    input:
        profiles="results/halpha/profiles.nc",
        truth="results/halpha/truth.nc",
        observed="results/halpha/observed.nc",
        diagnostics="results/halpha/diagnostics.nc",
        recovered="results/halpha/recovered.csv",
    output:
        families=report(
            "results/halpha/figures/profile_families.png",
            caption="../report/halpha/profile_families.rst",
            category="Halpha",
            labels={"figure": "Fig. 1: profile families"},
        ),
        sequences=report(
            "results/halpha/figures/pixel_sequences.png",
            caption="../report/halpha/pixel_sequences.rst",
            category="Halpha",
            labels={"figure": "Fig. 2: pixel time sequences"},
        ),
        wing=report(
            "results/halpha/figures/hxr_wing_width.png",
            caption="../report/halpha/hxr_wing_width.rst",
            category="Halpha",
            labels={"figure": "Fig. 3: HXR and wing width"},
        ),
        velocity=report(
            "results/halpha/figures/hxr_velocity.png",
            caption="../report/halpha/hxr_velocity.rst",
            category="Halpha",
            labels={"figure": "Fig. 5: HXR and bisector velocity"},
        ),
        maps=report(
            "results/halpha/figures/maps_hxr_peak.png",
            caption="../report/halpha/maps_hxr_peak.rst",
            category="Halpha",
            labels={"figure": "maps at the HXR peak"},
        ),
    log:
        "results/logs/halpha/plot_halpha.log",
    benchmark:
        "results/benchmarks/halpha/plot_halpha.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=5,
    params:
        tracked=HALPHA.flare.tracked,
    script:
        "../scripts/halpha/plot_halpha.py"
