"""Rule invert_fourier: ΔS[r, τ] from ΔS(q, τ) over the measured q range (TRXS Eq. 2)."""

from kineticflow.core.io import logged, read_dataset, write_dataset
from kineticflow.trxs.signals import invert_fourier

with logged(snakemake.log[0]):
    p = snakemake.params
    jit = read_dataset(snakemake.input[0], required=["delta_s_q", "delta_s_r"], dims=["tau", "q", "r"])
    ds = invert_fourier(jit, p.inversion, p.weighting)
    write_dataset(ds, snakemake.output[0], params={"inversion": p.inversion})
