"""Rule plot_halpha: profile families, pixel sequences, HXR vs wing width and velocity, maps."""

import pandas as pd

from kineticflow.core.io import logged, read_dataset
from kineticflow.core.plotting import save
from kineticflow.halpha import steps

with logged(snakemake.log[0]):
    inp = snakemake.input
    figures = steps.plot_halpha(
        read_dataset(inp.profiles),
        read_dataset(inp.truth),
        read_dataset(inp.observed),
        read_dataset(inp.diagnostics),
        pd.read_csv(inp.recovered),
        tracked=snakemake.params.tracked,
    )
    for name, fig in figures.items():
        save(fig, snakemake.output[name])
