"""Rule measure_observed_lines: the diagnostics of measure_lines for an observation (no truth)."""

from kineticflow.core.io import logged, read_dataset, write_dataset
from kineticflow.halpha import measure, steps
from kineticflow.halpha.config import from_params, to_attrs

with logged(snakemake.log[0]):
    p = from_params(snakemake.params)
    ds = steps.measure_observed_lines(read_dataset(snakemake.input[0]), **p)
    write_dataset(ds, snakemake.output[0], params=to_attrs(p), allow_nonfinite=measure.MAY_BE_NAN_OBSERVED)
