"""Rule deconvolve: Tikhonov (GCV / L-curve) deconvolution of the measured ΔS(q, τ), with baselines."""

from kineticflow.trxs.deconvolution import deconvolve
from kineticflow.core.io import logged, read_dataset, write_dataset

with logged(snakemake.log[0]):
    p = snakemake.params.deconvolution
    inst = read_dataset(snakemake.input.instantaneous, required=["delta_s_q"], dims=["t", "q"])
    measured = read_dataset(snakemake.input.measured, required=["delta_s_q", "pulse"], dims=["tau", "q", "t_rel"])
    ds = deconvolve(inst, measured, p)
    write_dataset(ds, snakemake.output[0], params={"deconvolution": p})
