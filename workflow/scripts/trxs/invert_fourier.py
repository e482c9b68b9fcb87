"""Rule invert_fourier: ΔS[r, τ] from ΔS(q, τ) over the measured q range (TRXS Eq. 2), every pulse and jitter."""

from kineticflow.core.io import logged, read_dataset, write_dataset
from kineticflow.trxs import steps
from kineticflow.trxs.config import Inversion, Weighting

with logged(snakemake.log[0]):
    p = snakemake.params
    jit = [read_dataset(f, required=["delta_s_q", "delta_s_r"], dims=["tau", "q", "r"]) for f in snakemake.input]
    inverted = steps.invert_fourier(jit, Inversion.from_dict(p.inversion), Weighting.from_dict(p.weighting))
    for ds, path in zip(inverted, snakemake.output, strict=True):
        write_dataset(ds, path, params={"inversion": p.inversion})
