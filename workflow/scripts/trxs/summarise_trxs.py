"""Rule summarise_trxs: the TRXS tables (jitter broadening, Eq. 8; kinetic fits; deconvolution errors)."""

from kineticflow.core.io import logged, read_dataset, write_text
from kineticflow.trxs import steps

with logged(snakemake.log[0]):
    inp, out = snakemake.input, snakemake.output
    jit = [read_dataset(f, required=["pulse_analytic", "pulse_monte_carlo"]) for f in inp.jitter]
    dec = [read_dataset(f, required=["rel_rms_error", "gcv"]) for f in inp.deconvolved]
    fits = [read_dataset(f, required=["value", "stderr", "true_value"]) for f in inp.fits]
    for name, text in steps.summarise_trxs(jit, dec, fits).items():
        write_text(text, getattr(out, name))
