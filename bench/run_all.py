"""Run every benchmark script in bench/ one after the other (``make bench``)."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SKIP = {"__init__.py", "harness.py", "settings.py", "urls.py", "run_all.py"}

if __name__ == "__main__":
    failed = []
    for script in sorted(HERE.glob("*.py")):
        if script.name in SKIP:
            continue
        print(f"=== {script.name}", flush=True)
        if subprocess.run(
            [sys.executable, "-m", f"bench.{script.stem}"], cwd=HERE.parent
        ).returncode:
            failed.append(script.name)
    if failed:
        print("failed:", ", ".join(failed))
        sys.exit(1)
