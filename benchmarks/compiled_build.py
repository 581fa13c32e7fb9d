"""What the optional compiled build (`SECREVIEW_COMPILE=1 pip install .`) gives: the
instructions `instruction_count.py` counts, for a pure and a compiled wheel of this checkout.

Both wheels are built from the same sources and installed into two virtual environments
of the Python running this script, so the only difference is the modules mypyc compiled
(`setup.py`). Pass `--packages` on to `instruction_count.py` (default: nova's `api`):

    python benchmarks/compiled_build.py
    python benchmarks/compiled_build.py --packages api,compute

Needs a C compiler, valgrind and the network for mypy; takes about four minutes.
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def install(kind: str, work: Path, compile_: bool) -> Path:
    """A virtual environment with this checkout installed, pure or compiled: its python."""
    env = {**os.environ, "SECREVIEW_COMPILE": "1" if compile_ else "0"}
    env.pop("PYTHONPATH", None)
    home = work / kind
    venv.create(home, with_pip=True)
    python = home / "bin" / "python"
    command = [str(python), "-m", "pip", "install", "-q", str(REPO)]
    subprocess.run(command, env=env, check=True, cwd=work)
    return python


def count(python: Path, packages: str) -> str:
    """The last lines `instruction_count.py` prints, run by `python`."""
    script = REPO / "benchmarks" / "instruction_count.py"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    command = [str(python), str(script), "--packages", packages]
    run = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return run.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--packages", default="api", help="nova sub-packages, comma-separated")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="secreview-compiled-") as folder:
        work = Path(folder)
        for kind in ("pure", "compiled"):
            python = install(kind, work, compile_=kind == "compiled")
            print(f"{kind}:")
            print("  " + count(python, args.packages).replace("\n", "\n  "), flush=True)


if __name__ == "__main__":
    sys.exit(main())
