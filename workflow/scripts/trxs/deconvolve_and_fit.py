"""Rule deconvolve_and_fit: Tikhonov deconvolution and the pulse-aware kinetic fit of the measured ΔS(q, τ).

One job per pulse width: every (jitter, SNR) of it; one factorisation and one forward model per
effective pulse (beyond the TRXS paper; docs/trxs.md).
"""

from kineticflow.core.io import logged, read_dataset, write_dataset
from kineticflow.trxs import steps
from kineticflow.trxs.config import Deconvolution, KineticFit, Weighting
from kineticflow.trxs.model import DiatomicModel

with logged(snakemake.log[0]):
    p, out = snakemake.params, snakemake.output
    inst = read_dataset(snakemake.input.instantaneous, required=["delta_s_q"], dims=["t", "q"])
    measured = [
        read_dataset(f, required=["delta_s_q", "pulse"], dims=["tau", "q", "t_rel"]) for f in snakemake.input.measured
    ]
    deconvolved, fits = steps.deconvolve_and_fit(
        inst,
        measured,
        Deconvolution.from_dict(p.deconvolution),
        DiatomicModel(**p.model),
        KineticFit.from_dict(p.kinetic_fit),
        Weighting.from_dict(p.weighting),
    )
    for ds, path in zip(deconvolved, out.deconvolved, strict=True):
        write_dataset(ds, path, params={"deconvolution": p.deconvolution})
    for ds, path in zip(fits, out.fits, strict=True):
        write_dataset(ds, path, params={"kinetic_fit": p.kinetic_fit, "model": p.model})
