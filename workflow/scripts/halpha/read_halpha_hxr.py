"""Rule read_halpha_hxr: the hard X-ray light curve of an observation, in seconds since its start."""

from kineticflow.core.io import logged, read_dataset, write_dataset
from kineticflow.halpha import steps
from kineticflow.halpha.config import from_params, to_attrs

with logged(snakemake.log[0]):
    p = from_params(snakemake.params)
    inp = snakemake.input
    ds = steps.read_halpha_hxr(inp.curve[0], read_dataset(inp.observed), **p)
    write_dataset(ds, snakemake.output[0], params=to_attrs(p), allow_nonfinite=("rate_stderr",))
