# e-scattering branch: measured DCS (Table 1) -> atomic optical-potential amplitudes ->
# molecular IAM-SCAR+I + rotational Born theory -> scale fit, extrapolation, ICS.
# Physics: docs/escatter.md. Targets, files and elements: kineticflow.escatter.targets;
# parameters: kineticflow.escatter.config.Params; one function per rule: kineticflow.escatter.steps.

from kineticflow.escatter import targets as escatter_targets
from kineticflow.escatter.config import Params as EscatterParams

ESCATTER = EscatterParams.from_config(config["escatter"])
# the data file and the structure as input files (a path, else under the workflow folder, else
# the copy shipped in src/kineticflow/escatter/data)
ESCATTER_DATA = escatter_targets.data_file(config, workflow.basedir)
ESCATTER_MOLECULE = escatter_targets.molecule_file(config, workflow.basedir)
ESCATTER_ELEMENTS = escatter_targets.elements(config, workflow.basedir)


wildcard_constraints:
    element=r"[A-Z][a-z]?",


rule load_measured_dcs:
    input:
        ESCATTER_DATA,
    output:
        "results/escatter/measured.nc",
    log:
        "results/logs/escatter/load_measured_dcs.log",
    benchmark:
        "results/benchmarks/escatter/load_measured_dcs.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        energies_ev=ESCATTER.energies_ev,
    script:
        "../scripts/escatter/load_measured_dcs.py"


rule atomic_amplitudes:
    output:
        "results/escatter/atoms/{element}.nc",
    log:
        "results/logs/escatter/atomic_amplitudes/{element}.log",
    benchmark:
        "results/benchmarks/escatter/atomic_amplitudes/{element}.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        energies_ev=ESCATTER.energies_ev,
        angle_step_deg=ESCATTER.angle_step_deg,
        absorption=ESCATTER.absorption,
        r_max_bohr=ESCATTER.r_max_bohr,
        l_total=ESCATTER.l_total,
        log_step=ESCATTER.log_step,
    script:
        "../scripts/escatter/atomic_amplitudes.py"


rule molecular_dcs:
    input:
        atoms=expand("results/escatter/atoms/{element}.nc", element=ESCATTER_ELEMENTS),
        molecule=ESCATTER_MOLECULE,
    output:
        "results/escatter/theory.nc",
    log:
        "results/logs/escatter/molecular_dcs.log",
    benchmark:
        "results/benchmarks/escatter/molecular_dcs.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        dipole_debye=ESCATTER.dipole_debye,
        temperature_k=ESCATTER.temperature_k,
        interference=ESCATTER.interference,
    script:
        "../scripts/escatter/molecular_dcs.py"


rule extrapolate_ics:
    input:
        measured="results/escatter/measured.nc",
        theory="results/escatter/theory.nc",
    output:
        nc="results/escatter/ics.nc",
        csv="results/escatter/ics.csv",
    log:
        "results/logs/escatter/extrapolate_ics.log",
    benchmark:
        "results/benchmarks/escatter/extrapolate_ics.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        resolution_fwhm_deg=ESCATTER.resolution_fwhm_deg,
        fit_exclude_notes=ESCATTER.fit_exclude_notes,
        match_deg=ESCATTER.match_deg,
    script:
        "../scripts/escatter/extrapolate_ics.py"


rule plot_escatter:
    input:
        measured="results/escatter/measured.nc",
        theory="results/escatter/theory.nc",
        ics="results/escatter/ics.nc",
    output:
        dcs=report(
            "results/escatter/figures/dcs.png",
            caption="../report/escatter/dcs.rst",
            category=escatter_targets.CATEGORY,
            subcategory="differential cross sections",
            labels={"figure": "DCS: data vs theory (Fig. 2)"},
        ),
        ics=report(
            "results/escatter/figures/ics.png",
            caption="../report/escatter/ics.rst",
            category=escatter_targets.CATEGORY,
            subcategory="integral cross sections",
            labels={"figure": "ICS vs energy (Fig. 3)"},
        ),
    log:
        "results/logs/escatter/plot_escatter.log",
    benchmark:
        "results/benchmarks/escatter/plot_escatter.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=5,
    script:
        "../scripts/escatter/plot_escatter.py"
