"""Rule fit_kinetics: fit τ_r, τ_p, Δr_Y, r_Y, amplitude and t₀ with the pulse-convolved model."""

from kineticflow.core.io import logged, read_dataset, write_dataset
from kineticflow.trxs.kinetic_fit import fit_measured, form_factor_weight

with logged(snakemake.log[0]):
    p = snakemake.params
    measured = read_dataset(snakemake.input[0], required=["delta_s_q", "pulse"], dims=["tau", "q", "t_rel"])
    ds = fit_measured(measured, p.model, p.kinetic_fit, form_factor_weight(measured["q"].values, p.weighting))
    write_dataset(ds, snakemake.output[0], params={"kinetic_fit": p.kinetic_fit, "model": p.model})
