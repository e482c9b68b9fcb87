# Functions of the Halpha rules (halpha.smk): grid wildcards, targets, report registrations.
# Kept apart from the rules (snakemake --lint: no functions beside rules).

HALPHA_P0 = [fmt(p) for p in config["halpha"]["p0_grid"]]
HALPHA_F20 = [fmt(f) for f in config["halpha"]["f20_grid"]]


wildcard_constraints:
    p0=r"[0-9.e+-]+",
    f20=r"[0-9.e+-]+",


def halpha_profile_files():
    """Per-case profile files of the grid, p0-major (the order collect_profiles expects)."""
    return [
        f"results/halpha/profiles/p0-{p}_f20-{f}.nc"
        for p in HALPHA_P0
        for f in HALPHA_F20
    ]


HALPHA_FIGURES = [
    f"results/halpha/figures/{name}.png"
    for name in (
        "profile_families",
        "pixel_sequences",
        "hxr_wing_width",
        "hxr_velocity",
        "maps_hxr_peak",
    )
]


def halpha_targets():
    """Every Halpha result and figure ([] when halpha.enabled is false)."""
    if not enabled("halpha"):
        return []
    return [
        "results/halpha/profiles.nc",
        "results/halpha/truth.nc",
        "results/halpha/observed.nc",
        "results/halpha/diagnostics.nc",
        "results/halpha/recovered.csv",
        "results/halpha/fits.nc",
        "results/halpha/fits.csv",
    ] + HALPHA_FIGURES


if enabled("halpha"):
    REPORT_TABLES["Halpha"] = {
        "recovered": "results/halpha/recovered.csv",
        "fits": "results/halpha/fits.csv",
    }
    HEADLINE[
        "Halpha: redshift decay times and HXR correlations (full tables under Halpha)"
    ] = [
        "results/halpha/fits.csv",
        "",
        [],
    ]
    REPORT_INPUTS.extend(halpha_targets())
