"""TRXS figures: the row thinning of the maps."""

import numpy as np

from kineticflow.trxs import plots


def test_map_rows_thin_long_grids_evenly_on_the_symlog_axis():
    t = np.arange(-100.0, 5000.0 + 1e-9, 2.0)  # the instantaneous grid inside the map window
    rows = plots._map_rows(t)
    assert 0.9 * plots.MAP_ROWS <= rows.size <= plots.MAP_ROWS
    assert rows[0] == 0 and rows[-1] == t.size - 1 and np.all(np.diff(rows) > 0)
    # evenly spaced in y = sign(t) log10(1 + |t|/100): t > 1000 ps holds its share of the y range
    y = np.sign(t[rows]) * np.log10(1 + np.abs(t[rows]) / 100.0)
    share = np.mean(y > np.log10(11.0))
    assert abs(share - (np.log10(51.0) - np.log10(11.0)) / (np.log10(51.0) + np.log10(2.0))) < 0.05
    short = np.arange(-100.0, 1000.0, 20.0)
    np.testing.assert_array_equal(plots._map_rows(short), np.arange(short.size))
