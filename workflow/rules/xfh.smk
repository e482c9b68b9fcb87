# XFH branch: simulate hologram -> measure (spiral, noise, reference, symmetrisation) ->
# reconstruct G(h') and U(r') -> signs of Re F_h. Physics: S. Marchesini et al., holographic
# analysis of diffraction structure factors, Eqs 3-11; docs/xfh.md. One function per rule in
# kineticflow.xfh.steps; targets, wildcards, params and memory estimates in kineticflow.xfh.targets.
# A user's hologram (xfh.observations.<name>) enters at measure_observed_hologram; the analysis rules
# then run with {crystal} = observed/<name> (results/xfh/observed/<name>/, same files as a crystal's).

from kineticflow.xfh import targets as xfh_targets


wildcard_constraints:
    crystal=xfh_targets.crystal_constraint(config),


rule simulate_hologram:
    output:
        "results/xfh/{crystal}/hologram.nc",
    log:
        "results/logs/xfh/simulate_hologram/{crystal}.log",
    benchmark:
        "results/benchmarks/xfh/simulate_hologram/{crystal}.tsv"
    wildcard_constraints:
        crystal=xfh_targets.simulated_constraint(config),
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=xfh_targets.mem_mb(config),
        runtime=10,
        # memory, not physics: a resource, so that changing it reruns nothing
        chunk_elements=xfh_targets.chunk_elements(config),
    params:
        xfh=xfh_targets.simulate_params(config),
    script:
        "../scripts/xfh/simulate_hologram.py"


rule measure_hologram:
    input:
        "results/xfh/{crystal}/hologram.nc",
    output:
        "results/xfh/{crystal}/measured.nc",
    log:
        "results/logs/xfh/measure_hologram/{crystal}.log",
    benchmark:
        "results/benchmarks/xfh/measure_hologram/{crystal}.tsv"
    wildcard_constraints:
        crystal=xfh_targets.simulated_constraint(config),
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=xfh_targets.mem_mb(config),
        runtime=10,
    params:
        xfh=xfh_targets.measure_params(config),
    script:
        "../scripts/xfh/measure_hologram.py"


rule measure_observed_hologram:
    input:
        xfh_targets.observation_file(config, workflow.basedir),
    output:
        nc="results/xfh/observed/{observation}/measured.nc",
        provenance="results/xfh/observed/{observation}/provenance.csv",
    log:
        "results/logs/xfh/measure_observed_hologram/{observation}.log",
    benchmark:
        "results/benchmarks/xfh/measure_observed_hologram/{observation}.tsv"
    wildcard_constraints:
        observation=xfh_targets.observation_constraint(config),
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=xfh_targets.mem_mb(config),
        runtime=10,
    params:
        measure=xfh_targets.measure_params(config),
        reader=xfh_targets.observation_reader(config),
        wave=xfh_targets.observation_wave(config),
        object_term=xfh_targets.object_term(config),
    script:
        "../scripts/xfh/measure_observed_hologram.py"


rule reconstruct_hologram:
    input:
        "results/xfh/{crystal}/measured.nc",
    output:
        "results/xfh/{crystal}/reconstruction.nc",
    log:
        "results/logs/xfh/reconstruct_hologram/{crystal}.log",
    benchmark:
        "results/benchmarks/xfh/reconstruct_hologram/{crystal}.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=xfh_targets.mem_mb(config),
        runtime=10,
        chunk_elements=xfh_targets.chunk_elements(config),
    params:
        xfh=xfh_targets.reconstruct_params(config),
    script:
        "../scripts/xfh/reconstruct_hologram.py"


rule fit_phases:
    input:
        "results/xfh/{crystal}/reconstruction.nc",
    output:
        "results/xfh/{crystal}/phases.nc",
    log:
        "results/logs/xfh/fit_phases/{crystal}.log",
    benchmark:
        "results/benchmarks/xfh/fit_phases/{crystal}.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/xfh/fit_phases.py"


rule collect_xfh_phases:
    input:
        xfh_targets.phases_inputs(config),
    output:
        "results/xfh/phases.csv",
    log:
        "results/logs/xfh/collect_xfh_phases.log",
    benchmark:
        "results/benchmarks/xfh/collect_xfh_phases.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/xfh/collect_xfh_phases.py"


rule collect_observed_xfh_phases:
    input:
        "results/xfh/observed/{observation}/phases.nc",
    output:
        "results/xfh/observed/{observation}/phases.csv",
    log:
        "results/logs/xfh/collect_observed_xfh_phases/{observation}.log",
    benchmark:
        "results/benchmarks/xfh/collect_observed_xfh_phases/{observation}.tsv"
    wildcard_constraints:
        observation=xfh_targets.observation_constraint(config),
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/xfh/collect_observed_xfh_phases.py"


rule plot_xfh:
    input:
        measured="results/xfh/{crystal}/measured.nc",
        reconstruction="results/xfh/{crystal}/reconstruction.nc",
        phases="results/xfh/{crystal}/phases.nc",
    output:
        hologram=report(
            "results/xfh/{crystal}/figures/hologram.png",
            caption="../report/xfh/hologram.rst",
            category="XFH",
            subcategory="{crystal}",
            labels={"crystal": "{crystal}", "figure": "hologram (Fig. 2)"},
        ),
        g_map=report(
            "results/xfh/{crystal}/figures/g_map.png",
            caption="../report/xfh/g_map.rst",
            category="XFH",
            subcategory="{crystal}",
            labels={"crystal": "{crystal}", "figure": "Re G map (Fig. 3)"},
        ),
        scale=report(
            "results/xfh/{crystal}/figures/scale.png",
            caption="../report/xfh/scale.rst",
            category="XFH",
            subcategory="{crystal}",
            labels={"crystal": "{crystal}", "figure": "Re G vs a(h) Re F_h"},
        ),
        real_space=report(
            "results/xfh/{crystal}/figures/real_space.png",
            caption="../report/xfh/real_space.rst",
            category="XFH",
            subcategory="{crystal}",
            labels={"crystal": "{crystal}", "figure": "U(r')"},
        ),
    log:
        "results/logs/xfh/plot_xfh/{crystal}.log",
    benchmark:
        "results/benchmarks/xfh/plot_xfh/{crystal}.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1500,
        runtime=5,
    script:
        "../scripts/xfh/plot_xfh.py"
