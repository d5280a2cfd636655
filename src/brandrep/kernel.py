"""Install the project's Jupyter kernel into the running environment (``make setup`` calls this).

A named kernel inside ``.venv`` cannot be shadowed by a user's own ``python3`` kernelspec, so
`brandrep run` and `make lab` always use the project's pinned interpreter. The kernel's own
start-up log is limited to errors: its transport warning would otherwise print once per
notebook and bury the messages that matter.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

KERNEL_NAME = "brandrep"
DISPLAY_NAME = "brandrep (.venv)"


def install(prefix: str = sys.prefix) -> Path:
    from ipykernel.kernelspec import install as install_kernelspec

    destination = Path(install_kernelspec(kernel_name=KERNEL_NAME, display_name=DISPLAY_NAME, prefix=prefix))
    spec_path = destination / "kernel.json"
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    quiet = "--IPKernelApp.log_level=ERROR"
    if quiet not in spec["argv"]:
        spec["argv"].insert(spec["argv"].index("-f"), quiet)
    # the kernel starts with the suite's deterministic environment (one thread, fixed BLAS kernels),
    # so a notebook opened in JupyterLab computes what `brandrep run` computes
    from brandrep import DETERMINISTIC_ENVIRONMENT

    spec["env"] = {"PYTHONHASHSEED": "0", **DETERMINISTIC_ENVIRONMENT, **spec.get("env", {})}
    spec_path.write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return destination


if __name__ == "__main__":
    print(f"installed kernel {KERNEL_NAME!r} in {install()}")
