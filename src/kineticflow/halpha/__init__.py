"""Hα imaging spectroscopy of solar flares: theory, a synthetic flare, the 1980 slit spectrograph, the diagnostics.

After R. C. Canfield et al., *optical imaging spectroscopy of solar flares* (the "Hα paper"), which
summarises Canfield, Gunkler & Ricchiazzi (1984, ApJ 282, 296) for the theory and the 1980
Sacramento Peak / SMM program for the observations. A grid of non-LTE Hα profiles is computed with
Lightweaver for FAL-C moved to a coronal pressure P0 and heated by a thick-target electron beam of
flux F20 (:mod:`nlte`, :mod:`beam`, :mod:`profiles`); a flare tied to a hard x-ray light curve is
simulated on it (:mod:`flare`) and observed with the slit spectrograph (:mod:`instrument`: raster
clock, slit function, seeing, counting noise — its product, the observation, is the boundary to the
analysis); the paper's diagnostics (:mod:`lines`, :mod:`measure`) recover P0, F20 and the downflow
velocity (:mod:`calibrate`, :mod:`infer`), with the truth beside every recovered number. Rule-level
functions: :mod:`steps`; parameters and checks: :mod:`config`; result files and report:
:mod:`targets`; figures: :mod:`plots`. Physics and measured numbers: ``docs/halpha.md``.
"""
