"""Convolution of a signal with an x-ray pulse (TRXS paper Eq. 1): FFTs over whole arrays."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray


def uniform_step(t: ArrayLike) -> float:
    """Step of a uniform grid; raises ``ValueError`` if the grid is not uniform to 1e-9."""
    t = np.asarray(t, dtype=float)
    dt = np.diff(t)
    if t.size < 2 or np.any(dt <= 0) or np.ptp(dt) > 1e-9 * max(abs(dt[0]), 1.0):
        raise ValueError("the time grid must be uniform and increasing")
    return float(dt.mean())


def lag_grid(t: ArrayLike) -> NDArray[np.float64]:
    """Symmetric lag grid s = k·dt, k = −(n−1)…(n−1), matching a uniform time grid t."""
    t = np.asarray(t, dtype=float)
    dt = uniform_step(t)
    n = t.size
    return np.asarray(np.arange(-(n - 1), n) * dt, dtype=np.float64)


def interpolate_axis0(values: NDArray[np.float64], x: NDArray[np.float64], x_new: ArrayLike) -> NDArray[np.float64]:
    """Linear interpolation of ``values`` (shape (n, ...)) from x (n,) to x_new (m,) along axis 0."""
    x_new = np.asarray(x_new, dtype=float)
    if x_new.min() < x[0] or x_new.max() > x[-1]:
        raise ValueError(f"requested points [{x_new.min()}, {x_new.max()}] leave the grid [{x[0]}, {x[-1]}]")
    idx = np.clip(np.searchsorted(x, x_new, side="right") - 1, 0, x.size - 2)
    w = (x_new - x[idx]) / (x[idx + 1] - x[idx])
    w = w.reshape((-1,) + (1,) * (values.ndim - 1))
    return (1 - w) * values[idx] + w * values[idx + 1]


def fft_convolve_axis0(
    a: NDArray[np.float64], b: NDArray[np.float64], spectra: dict[int, Any] | None = None
) -> NDArray[np.float64]:
    """Full linear convolution of two real arrays along axis 0 by FFT (other axes broadcast).

    The same FFT calls as ``scipy.signal.fftconvolve(a, b, mode="full", axes=0)`` (real FFTs of
    ``next_fast_len`` length, product, inverse, cut to ``len(a) + len(b) − 1``), so the same
    numbers bit for bit, without importing ``scipy.signal`` (~1.4 s, more than a TRXS job's
    convolutions).

    Parameters
    ----------
    a, b : ndarray, shape (na, ...) and (nb, ...)
        Real arrays; the axes after the first broadcast against each other.
    spectra : dict, optional
        Cache of the spectra of ``a`` per FFT length, for calls that convolve the same ``a``
        with several kernels (kept to the two most recent lengths).

    Returns
    -------
    ndarray, shape (na + nb − 1, ...)
    """
    return _fft_convolve_lazy(a.shape, lambda: a, b, spectra)


def _fft_convolve_lazy(
    a_shape: tuple[int, ...],
    make_a: Callable[[], NDArray[np.float64]],
    b: NDArray[np.float64],
    spectra: dict[int, Any] | None,
) -> NDArray[np.float64]:
    """:func:`fft_convolve_axis0` with ``a`` built only when its spectrum is not in ``spectra``."""
    from scipy import fft as sp_fft  # noqa: PLC0415 - ~0.3 s, only for the jobs that convolve

    n = a_shape[0] + b.shape[0] - 1
    rest = [max(x, y) for x, y in zip(a_shape[1:], b.shape[1:], strict=True)]
    nfft = sp_fft.next_fast_len(n, True)
    if spectra is None:
        spec_a = sp_fft.rfftn(make_a(), [nfft], axes=[0])
    elif nfft in spectra:
        spec_a = spectra[nfft]
    else:
        while len(spectra) >= 2:
            spectra.pop(next(iter(spectra)))
        spec_a = spectra[nfft] = sp_fft.rfftn(make_a(), [nfft], axes=[0])
    spectrum = spec_a * sp_fft.rfftn(b, [nfft], axes=[0])
    full = sp_fft.irfftn(spectrum, [nfft], axes=[0])
    return np.asarray(full[tuple(slice(m) for m in [n, *rest])])


def convolve_with_pulse(
    signal: ArrayLike,
    t: ArrayLike,
    pulse: Callable[[NDArray[np.float64]], NDArray[np.float64]] | ArrayLike,
    tau: ArrayLike,
    causal: bool = True,
    spectra: dict[int, Any] | None = None,
) -> NDArray[np.float64]:
    """ΔS(τ) = ∫ dt I(t − τ) ΔS_inst(t) (TRXS paper Eq. 1), along axis 0, by FFT.

    The integral is the trapezoid rule on the uniform grid ``t``. For a causal signal
    (zero for t < 0 with a jump at t = 0) the sample at t = 0 is weighted by one half, which
    is the trapezoid rule on [0, t_max] and keeps the error O(dt²) despite the jump.

    Parameters
    ----------
    signal : array_like, shape (nt, ...)
        ΔS_inst on the uniform time grid, any trailing shape (q or r).
    t : array_like, shape (nt,)
        Uniform time grid, ps. It must extend beyond the delays by the pulse's support.
    pulse : callable or array_like
        I(s) as a function of the lag s = t − τ (ps → ps⁻¹), or its samples on
        :func:`lag_grid` ``(t)`` (shape (2 nt − 1,)).
    tau : array_like, shape (ntau,)
        Pump–probe delays, ps, inside [t₀, t_{n−1}]; off-grid values are interpolated
        linearly between on-grid results.
    causal : bool
        Apply the half weight at t = 0 (set False for a signal smooth at t = 0).
    spectra : dict, optional
        Shared by calls with the same ``signal``, ``t`` and ``causal`` (several pulses): the
        signal's FFT is then computed once per FFT length (same numbers, see
        :func:`fft_convolve_axis0`). Never share it between different signals.

    Returns
    -------
    ndarray, shape (ntau, ...)
        The pulse-averaged signal, in the units of ``signal`` (unit-area pulse).

    Raises
    ------
    ValueError
        If ``t`` is not uniform, the pulse samples have the wrong length, or τ leaves the grid.
    """
    t = np.asarray(t, dtype=float)
    signal = np.asarray(signal, dtype=float)
    if signal.shape[0] != t.size:
        raise ValueError(f"signal has {signal.shape[0]} time samples, t has {t.size}")
    dt = uniform_step(t)
    s = lag_grid(t)
    kernel = pulse(s) if callable(pulse) else np.asarray(pulse, dtype=float)
    if kernel.shape != s.shape:
        raise ValueError(f"pulse samples must have shape {s.shape} (the lag grid), got {kernel.shape}")

    def weighted() -> NDArray[np.float64]:
        sig = np.array(signal, dtype=float, copy=True)
        if causal:
            zero = np.flatnonzero(np.isclose(t, 0.0, atol=1e-9 * dt))
            if zero.size:
                sig[zero[0]] *= 0.5
        return sig

    # keep only the part of the pulse that is non-negligible: a shorter FFT, same result
    nz = np.flatnonzero(np.abs(kernel) > np.abs(kernel).max() * 1e-16)
    k_lo, k_hi = nz[0], nz[-1]
    n = t.size
    kernel = kernel[k_lo : k_hi + 1]
    # result[j] = Σ_k sig[j + k] I(s_k) dt, k = k_lo - (n-1) ... k_hi - (n-1)
    rev = kernel[::-1].reshape((-1,) + (1,) * (signal.ndim - 1))
    full = _fft_convolve_lazy(signal.shape, weighted, rev, spectra)
    offset = k_hi - (n - 1)

    def on_grid(rows: NDArray[np.intp]) -> NDArray[np.float64]:
        """Rows of the convolution on the grid t (zero where the full result does not reach)."""
        src = rows + offset
        ok = (src >= 0) & (src < full.shape[0])
        out = np.zeros((rows.size,) + full.shape[1:])
        out[ok] = full[src[ok]] * dt
        return out

    # linear interpolation to τ (interpolate_axis0), from the two grid rows around each delay only
    tau = np.asarray(tau, dtype=float)
    if tau.min() < t[0] or tau.max() > t[-1]:
        raise ValueError(f"requested points [{tau.min()}, {tau.max()}] leave the grid [{t[0]}, {t[-1]}]")
    idx = np.clip(np.searchsorted(t, tau, side="right") - 1, 0, t.size - 2)
    w = ((tau - t[idx]) / (t[idx + 1] - t[idx])).reshape((-1,) + (1,) * (signal.ndim - 1))
    return (1 - w) * on_grid(idx) + w * on_grid(idx + 1)
