# Functions of the XFH rules (xfh.smk): targets, the config slice each rule depends on, report.
# Kept apart from the rules (snakemake --lint: no functions beside rules).

XFH_CRYSTALS = list(config["xfh"]["run"]) if config.get("xfh") else []
XFH_FIGURES = ["hologram", "g_map", "scale", "real_space"]


wildcard_constraints:
    crystal="|".join(XFH_CRYSTALS) or "V",


def xfh_targets():
    """Every XFH result and report figure ([] when xfh.enabled is false)."""
    if not enabled("xfh"):
        return []
    return ["results/xfh/phases.csv"] + expand(
        "results/xfh/{crystal}/figures/{figure}.png",
        crystal=XFH_CRYSTALS,
        figure=XFH_FIGURES,
    )


def xfh_slice(*keys, crystal=True):
    """The part of config["xfh"] a rule depends on (so unrelated keys do not rerun it)."""

    def params(wildcards):
        x = config["xfh"]
        out = {k: x[k] for k in keys}
        if crystal:
            out["crystals"] = {wildcards.crystal: x["crystals"][wildcards.crystal]}
        return out

    return params


def xfh_mem_mb(wildcards, attempt):
    """~800 MB of interpreter and libraries, three chunk-sized float32 blocks
    (xfh.chunk_elements) and ~200 bytes per spiral pixel; doubled on each retry."""
    x = config["xfh"]
    pixels = x["crystals"][wildcards.crystal]["n_pixels"]
    return int(800 + 12 * x["chunk_elements"] / 1e6 + 200 * pixels / 1e6) * attempt


if enabled("xfh"):
    REPORT_TABLES["XFH"] = {"phases": "results/xfh/phases.csv"}
    HEADLINE["XFH: sign of Re F_h from Re G at the Bragg-accessible reflections"] = [
        "results/xfh/phases.csv",
        "bragg_accessible",
        [
            "crystal",
            "h",
            "k",
            "l",
            "h_norm_inv_angstrom",
            "re_f_true",
            "re_g_background_subtracted",
            "sign_true",
            "sign_recovered",
        ],
    ]
    REPORT_INPUTS.extend(xfh_targets())
