"""The kernels give the same results as plain Python (NUMBA_DISABLE_JIT=1) on a small run."""
import os
import subprocess
import sys

import numpy as np

from conftest import run_child

HOUSEHOLDS = 300
SPAN = ("1924-07", "1925-06")


def test_plain_python_matches_the_compiled_kernels(tmp_path):
    start, end = SPAN
    compiled = run_child(tmp_path / "jit.nc", HOUSEHOLDS, start=start, end=end,
                         env={"NUMBA_DISABLE_JIT": "0"})
    python = run_child(tmp_path / "nojit.nc", HOUSEHOLDS, start=start, end=end,
                       env={"NUMBA_DISABLE_JIT": "1"})
    assert set(compiled.data_vars) == set(python.data_vars)
    worst = {}
    for name in compiled.data_vars:
        a, b = compiled[name].values, python[name].values
        assert np.array_equal(np.isnan(a), np.isnan(b)), f"{name}: missing values differ"
        ok = ~np.isnan(a)
        scale = np.maximum(np.abs(a[ok]), np.abs(b[ok]))
        err = np.abs(a[ok] - b[ok]) / np.where(scale > 0, scale, 1.0)
        if err.size and err.max() > 1e-12:
            worst[name] = float(err.max())
    assert not worst, ("compiled and plain-Python runs differ (largest relative difference "
                       "by variable): "
                       + ", ".join(f"{k} {v:.1e}" for k, v in sorted(worst.items(),
                                                                      key=lambda x: -x[1])))


def test_stream_keys_can_be_made_without_the_compiler():
    """Stream keys (and so every run) must not need numba: the same key in plain Python."""
    code = ("from smychka.core.rng import stream_key; "
            "print(int(stream_key(1, 'harvest.noise')))")
    keys = []
    for flag in ("0", "1"):
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              env={**os.environ, "NUMBA_DISABLE_JIT": flag}, timeout=300)
        assert proc.returncode == 0, (f"stream_key fails with NUMBA_DISABLE_JIT={flag}:\n"
                                      f"{proc.stderr[-1500:]}")
        keys.append(proc.stdout.strip())
    assert keys[0] == keys[1], "stream keys differ with and without the compiler"
