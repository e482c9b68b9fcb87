"""Rule extrapolate_ics: scale fit of the theory to the data, extrapolation, ICS and its budget."""

from kineticflow.core.io import atomic_output, logged, read_dataset, write_dataset
from kineticflow.escatter.analysis import extrapolate_ics, ics_table

with logged(snakemake.log[0]):
    p = snakemake.params
    ds = extrapolate_ics(
        read_dataset(snakemake.input.measured),
        read_dataset(snakemake.input.theory),
        resolution_fwhm_deg=p.resolution_fwhm_deg,
        exclude_notes=p.fit_exclude_notes,
        match_deg=p.match_deg,
    )
    write_dataset(
        ds,
        snakemake.output.nc,
        allow_nonfinite=("ics_paper", "ics_ratio_to_paper", "chi2_reduced", "scale_factor_error"),
    )
    with atomic_output(snakemake.output.csv) as tmp:
        ics_table(ds).to_csv(tmp, index=False)
