"""Rule plot_trxs: every TRXS figure in one job (one matplotlib start-up).

Instantaneous and pulse-averaged signals (TRXS Figs 3-6), peak film, effective pulse vs jitter
(Eqs 7-8), the Eq. 2 inversion of each pulse; then the deconvolution error vs SNR, the fitted vs
true parameters, the deconvolved traces and the choice of lambda.
"""

from kineticflow.core.io import logged, read_dataset
from kineticflow.core.plotting import save
from kineticflow.trxs import steps

with logged(snakemake.log[0]):
    p, inp, out = snakemake.params, snakemake.input, snakemake.output
    inst = read_dataset(inp.instantaneous, required=["delta_s_r", "delta_s_q"])
    conv = [read_dataset(f, required=["delta_s_r", "delta_s_q"]) for f in inp.convolved]
    jit = [read_dataset(f, required=["pulse_analytic", "pulse_monte_carlo"]) for f in inp.jitter]
    inv = [read_dataset(f, required=["delta_s_r", "delta_s_r_unmodified", "delta_s_r_reference"]) for f in inp.inverted]
    dec = [read_dataset(f, required=["rel_rms_error", "gcv"]) for f in inp.deconvolved]
    fits = [read_dataset(f, required=["value", "stderr", "true_value"]) for f in inp.fits]
    figures = steps.plot_trxs(inst, conv, jit, inv, dec, fits, p.times, p.inversion_times)
    paths = [out.inst_r, out.inst_q, out.pulses_r, out.pulses_q, out.peak, out.jitter_figure]
    for figure, path in zip(figures, [*paths, *out.inversions, *out.figures], strict=True):
        save(figure, path)
