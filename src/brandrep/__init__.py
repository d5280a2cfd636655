"""brandrep: reproducible brand-reputation analytics (clean, score, chart and test)."""

import os as _os
import platform as _platform
import sys as _sys

__version__ = "0.1.0"

# The same numbers on every x86-64 machine. OpenBLAS (inside numpy's and scipy's wheels) picks its
# kernels by CPU and splits sums over threads, so a dot product can round differently on an
# AVX-512 machine than on an AVX2 one, or with 2 threads than with 1; scikit-learn's liblinear
# sums through it, so a trained sentiment model moved by up to 1e-4 (issue 13). One thread and
# the baseline x86-64 kernels (Prescott: SSE3, which every x86-64 CPU has) make those sums the
# same everywhere. They only take effect before numpy is first imported (the command line and
# the notebook kernels of `brandrep run` set them in time); a value the user set is kept.
DETERMINISTIC_ENVIRONMENT = {
    "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "NUMBA_NUM_THREADS": "1",
    **({"OPENBLAS_CORETYPE": "Prescott"} if _platform.machine().lower() in {"x86_64", "amd64"} else {}),
}
if "numpy" not in _sys.modules:
    for _key, _value in DETERMINISTIC_ENVIRONMENT.items():
        _os.environ.setdefault(_key, _value)
