"""Rule infer_parameters: recovered vs true P0, F20, v; redshift decay fits; HXR correlations."""

from kineticflow.core.io import atomic_output, logged, read_dataset, write_dataset
from kineticflow.halpha.infer import VELOCITY_SUMMARY, fits_table, infer_parameters

with logged(snakemake.log[0]):
    p = dict(snakemake.params)
    inp = snakemake.input
    table, fits = infer_parameters(
        read_dataset(inp.diagnostics), read_dataset(inp.truth), read_dataset(inp.profiles), p
    )
    with atomic_output(snakemake.output.recovered) as tmp:
        table.to_csv(tmp, index=False)
    write_dataset(
        fits,
        snakemake.output.fits,
        params=p,
        allow_nonfinite=[
            "tau_fit",
            "tau_err",
            "tau_fit_bisector",
            "tau_err_bisector",
            "velocity_recovered",
            *VELOCITY_SUMMARY,
        ],
    )
    with atomic_output(snakemake.output.fits_table) as tmp:
        fits_table(fits).to_csv(tmp, index=False)
