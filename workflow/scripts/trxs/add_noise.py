"""Rule add_noise: the jitter-averaged ΔS(q, τ) on the measured delays with seeded Gaussian noise.

One job per pulse width: every (jitter, SNR) of it.
"""

from kineticflow.core.io import logged, read_dataset, write_dataset
from kineticflow.trxs.batches import measure_cases

with logged(snakemake.log[0]):
    p = snakemake.params
    inst = read_dataset(snakemake.input.instantaneous, required=["delta_s_q"], dims=["t", "q"])
    jit = {
        j: read_dataset(f, required=["delta_s_q", "pulse_analytic"], dims=["tau", "q", "t_rel"])
        for j, f in zip(p.jitters, snakemake.input.jitter, strict=True)
    }
    cases = measure_cases(inst, jit, p.snrs, snakemake.wildcards.fwhm, p.measurement)
    for ds, path in zip(cases, snakemake.output, strict=True):
        write_dataset(ds, path, params={"measurement": p.measurement})
