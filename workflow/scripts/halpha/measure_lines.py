"""Rule measure_lines: difference spectra, bisectors, reversal, wings, core width, slit deconvolution."""

from kineticflow.core.io import logged, read_dataset, write_dataset
from kineticflow.halpha import measure, steps
from kineticflow.halpha.config import from_params, to_attrs

with logged(snakemake.log[0]):
    p = from_params(snakemake.params)
    inp = snakemake.input
    ds = steps.measure_lines(read_dataset(inp.observed), read_dataset(inp.truth), **p)
    write_dataset(ds, snakemake.output[0], params=to_attrs(p), allow_nonfinite=measure.MAY_BE_NAN)
