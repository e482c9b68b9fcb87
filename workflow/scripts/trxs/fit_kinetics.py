"""Rule fit_kinetics: fit τ_r, τ_p, Δr_Y, r_Y, amplitude and t₀ with the pulse-convolved model.

One job per pulse width: every (jitter, SNR) of it, one forward model per effective pulse.
"""

from kineticflow.core.io import logged, read_dataset, write_dataset
from kineticflow.trxs.batches import fit_cases
from kineticflow.trxs.kinetic_fit import form_factor_weight

with logged(snakemake.log[0]):
    p = snakemake.params
    measured = [read_dataset(f, required=["delta_s_q", "pulse"], dims=["tau", "q", "t_rel"]) for f in snakemake.input]
    weight = form_factor_weight(measured[0]["q"].values, p.weighting) if measured else None
    cases = fit_cases(measured, p.model, p.kinetic_fit, weight)
    for ds, path in zip(cases, snakemake.output, strict=True):
        write_dataset(ds, path, params={"kinetic_fit": p.kinetic_fit, "model": p.model})
