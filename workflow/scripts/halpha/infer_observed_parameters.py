"""Rule infer_observed_parameters: recovered P0, F20, v of an observation; decay fits; HXR correlations."""

from kineticflow.core.io import atomic_output, logged, read_dataset, write_dataset
from kineticflow.halpha import steps, timing
from kineticflow.halpha.config import from_params, to_attrs

with logged(snakemake.log[0]):
    p = from_params(snakemake.params)
    inp, out = snakemake.input, snakemake.output
    hxr = read_dataset(inp.hxr[0]) if inp.hxr else None
    table, fits, fits_table = steps.infer_observed_parameters(
        read_dataset(inp.diagnostics), read_dataset(inp.profiles), hxr, **p
    )
    with atomic_output(out.recovered) as tmp:
        table.to_csv(tmp, index=False)
    write_dataset(fits, out.fits, params=to_attrs(p), allow_nonfinite=timing.MAY_BE_NAN_OBSERVED)
    with atomic_output(out.fits_table) as tmp:
        fits_table.to_csv(tmp, index=False)
