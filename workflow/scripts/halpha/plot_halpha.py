"""Rule plot_halpha: profile families, pixel sequences, HXR vs wing width and velocity, maps."""

import pandas as pd

from kineticflow.core.io import logged, read_dataset
from kineticflow.core.plotting import save
from kineticflow.halpha import plots

with logged(snakemake.log[0]):
    inp, out = snakemake.input, snakemake.output
    kernels = snakemake.params.flare["kernels"]
    truth = read_dataset(inp.truth)
    diag = read_dataset(inp.diagnostics)
    table = pd.read_csv(inp.recovered)
    save(plots.profile_families(read_dataset(inp.profiles)), out.families)
    save(plots.pixel_sequences(read_dataset(inp.observed), diag), out.sequences)
    save(plots.hxr_series(truth, table, kernels, "wing_extent_a", "wing extent (Å)"), out.wing)
    save(
        plots.hxr_series(
            truth,
            table,
            kernels,
            "v_recovered_kms",
            "calibrated bisector v (km s$^{-1}$)",
            "v_true_kms",
            "v_bisector_kms",
        ),
        out.velocity,
    )
    save(plots.maps_at_peak(truth, diag, table), out.maps)
