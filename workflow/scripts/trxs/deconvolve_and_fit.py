"""Rule deconvolve_and_fit: Tikhonov deconvolution and the pulse-aware kinetic fit of the measured ΔS(q, τ).

One job per pulse width: every (jitter, SNR) of it; one factorisation and one forward model per
effective pulse.
"""

from kineticflow.core.io import logged, read_dataset, write_dataset
from kineticflow.trxs.batches import analyse_cases
from kineticflow.trxs.kinetic_fit import form_factor_weight

with logged(snakemake.log[0]):
    p = snakemake.params
    inst = read_dataset(snakemake.input.instantaneous, required=["delta_s_q"], dims=["t", "q"])
    measured = [
        read_dataset(f, required=["delta_s_q", "pulse"], dims=["tau", "q", "t_rel"]) for f in snakemake.input.measured
    ]
    weight = form_factor_weight(measured[0]["q"].values, p.weighting) if measured else None
    cfg = {"deconvolution": p.deconvolution, "model": p.model, "kinetic_fit": p.kinetic_fit}
    deconvolved, fits = analyse_cases(inst, measured, cfg, weight)
    for ds, path in zip(deconvolved, snakemake.output.deconvolved, strict=True):
        write_dataset(ds, path, params={"deconvolution": p.deconvolution})
    for ds, path in zip(fits, snakemake.output.fits, strict=True):
        write_dataset(ds, path, params={"kinetic_fit": p.kinetic_fit, "model": p.model})
