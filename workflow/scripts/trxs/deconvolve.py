"""Rule deconvolve: Tikhonov (GCV / L-curve) deconvolution of the measured ΔS(q, τ), with baselines.

One job per pulse width: every (jitter, SNR) of it, one factorisation per effective pulse.
"""

from kineticflow.core.io import logged, read_dataset, write_dataset
from kineticflow.trxs.batches import deconvolve_cases

with logged(snakemake.log[0]):
    p = snakemake.params.deconvolution
    inst = read_dataset(snakemake.input.instantaneous, required=["delta_s_q"], dims=["t", "q"])
    measured = [
        read_dataset(f, required=["delta_s_q", "pulse"], dims=["tau", "q", "t_rel"]) for f in snakemake.input.measured
    ]
    for ds, path in zip(deconvolve_cases(inst, measured, p), snakemake.output, strict=True):
        write_dataset(ds, path, params={"deconvolution": p})
