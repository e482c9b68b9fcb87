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


# An observed raster or imaging cube of halpha.observations (wildcard {name}): read into the
# observation contract, then the analysis above without a truth; results under
# results/halpha/observed/{name}/ (file names and columns of the simulated path). Nothing of it runs
# when halpha.observations is empty. Bad files stop the run at the config check, before any job.


rule read_halpha_observation:
    input:
        halpha_files.observation_input(config, workflow.basedir),
    output:
        "results/halpha/observed/{name}/observed.nc",
    log:
        "results/logs/halpha/read_halpha_observation/{name}.log",
    benchmark:
        "results/benchmarks/halpha/read_halpha_observation/{name}.tsv"
    wildcard_constraints:
        name=halpha_files.NAME_PATTERN,
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        observation=halpha_files.observation_params(config),
    script:
        "../scripts/halpha/read_halpha_observation.py"


rule read_halpha_hxr:
    input:
        curve=halpha_files.hxr_input(config, workflow.basedir),
        observed="results/halpha/observed/{name}/observed.nc",
    output:
        "results/halpha/observed/{name}/hxr.nc",
    log:
        "results/logs/halpha/read_halpha_hxr/{name}.log",
    benchmark:
        "results/benchmarks/halpha/read_halpha_hxr/{name}.tsv"
    wildcard_constraints:
        name=halpha_files.NAME_PATTERN,
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        observation=halpha_files.observation_params(config),
    script:
        "../scripts/halpha/read_halpha_hxr.py"


rule measure_observed_lines:
    input:
        "results/halpha/observed/{name}/observed.nc",
    output:
        "results/halpha/observed/{name}/diagnostics.nc",
    log:
        "results/logs/halpha/measure_observed_lines/{name}.log",
    benchmark:
        "results/benchmarks/halpha/measure_observed_lines/{name}.tsv"
    wildcard_constraints:
        name=halpha_files.NAME_PATTERN,
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        measure=asdict(HALPHA.measure),
        observation=halpha_files.observation_params(config),
    script:
        "../scripts/halpha/measure_observed_lines.py"


rule infer_observed_parameters:
    input:
        diagnostics="results/halpha/observed/{name}/diagnostics.nc",
        profiles="results/halpha/profiles.nc",
        hxr=halpha_files.observed_hxr(config),
    output:
        recovered="results/halpha/observed/{name}/recovered.csv",
        fits="results/halpha/observed/{name}/fits.nc",
        fits_table="results/halpha/observed/{name}/fits.csv",
    log:
        "results/logs/halpha/infer_observed_parameters/{name}.log",
    benchmark:
        "results/benchmarks/halpha/infer_observed_parameters/{name}.tsv"
    wildcard_constraints:
        name=halpha_files.NAME_PATTERN,
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        measure=asdict(HALPHA.measure),
        observation=halpha_files.observation_params(config),
    script:
        "../scripts/halpha/infer_observed_parameters.py"


rule plot_halpha_observed:
    input:
        observed="results/halpha/observed/{name}/observed.nc",
        diagnostics="results/halpha/observed/{name}/diagnostics.nc",
        recovered="results/halpha/observed/{name}/recovered.csv",
        hxr=halpha_files.observed_hxr(config),
    output:
        sequences=report(
            "results/halpha/observed/{name}/figures/pixel_sequences.png",
            caption="../report/halpha/observed_pixel_sequences.rst",
            category="Halpha",
            subcategory="observation {name}",
            labels={"figure": "{name}: pixel time sequences"},
        ),
        wing=report(
            "results/halpha/observed/{name}/figures/hxr_wing_width.png",
            caption="../report/halpha/observed_hxr.rst",
            category="Halpha",
            subcategory="observation {name}",
            labels={"figure": "{name}: HXR and wing width"},
        ),
        velocity=report(
            "results/halpha/observed/{name}/figures/hxr_velocity.png",
            caption="../report/halpha/observed_hxr.rst",
            category="Halpha",
            subcategory="observation {name}",
            labels={"figure": "{name}: HXR and bisector velocity"},
        ),
        maps=report(
            "results/halpha/observed/{name}/figures/maps_hxr_peak.png",
            caption="../report/halpha/observed_maps.rst",
            category="Halpha",
            subcategory="observation {name}",
            labels={"figure": "{name}: maps at the HXR peak"},
        ),
    log:
        "results/logs/halpha/plot_halpha_observed/{name}.log",
    benchmark:
        "results/benchmarks/halpha/plot_halpha_observed/{name}.tsv"
    wildcard_constraints:
        name=halpha_files.NAME_PATTERN,
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=5,
    params:
        observation=halpha_files.observation_params(config),
    script:
        "../scripts/halpha/plot_halpha_observed.py"


rule tabulate_halpha_observations:
    input:
        observed=[
            halpha_files.observed_file(name, "observed.nc")
            for name in halpha_files.observation_names(config)
        ],
        hxr=[
            halpha_files.observed_file(name, "hxr.nc")
            for name in halpha_files.observed_with_hxr(config)
        ],
    output:
        halpha_files.PROVENANCE,
    log:
        "results/logs/halpha/tabulate_halpha_observations.log",
    benchmark:
        "results/benchmarks/halpha/tabulate_halpha_observations.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        names=halpha_files.observation_names(config),
        hxr_names=halpha_files.observed_with_hxr(config),
    script:
        "../scripts/halpha/tabulate_halpha_observations.py"
