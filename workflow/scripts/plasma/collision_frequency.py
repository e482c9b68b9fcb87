"""Rule collision_frequency: nu/omega_p = 1/(3 Gamma D*) from MD and Eq. 2, CS limit, Rutherford ansatz (Fig. 1 inset)."""

from kineticflow.core.io import logged, read_dataset, write_dataset, write_text
from kineticflow.plasma import steps

with logged(snakemake.log[0]):
    d = read_dataset(snakemake.input.diffusion, required=["d_star", "d_star_stderr"], dims=["kappa", "gamma"])
    fits = read_dataset(snakemake.input.fits, required=["alpha", "C"], dims=["kappa"])
    nu, table = steps.collision_frequency(d, fits)
    print(table.to_string())
    write_dataset(nu, snakemake.output.nc, source="Daligault PRL 108, 225004 (2012) Eqs 1-2, Fig. 1 bottom-left inset",
                  allow_nonfinite=list(nu.data_vars))  # fmt: skip
    write_text(table.to_csv(index=False, float_format="%.6g"), snakemake.output.csv)
