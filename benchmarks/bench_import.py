"""Time `import helpers` against `import numpy`, each in a fresh interpreter.

`import helpers` should cost little more than numpy itself: the package imports only its
numpy-based core (sympy, matplotlib and ipywidgets load only when their modules are used).

Run by hand:  python benchmarks/bench_import.py
"""

import os
import statistics
import subprocess
import sys
import tempfile

REPEATS = 15
CORE = "helpers.activations, helpers.losses, helpers.layers, helpers.network, " \
       "helpers.training, helpers.gradcheck, helpers.data"
PROGRAM = (
    "import time; start = time.perf_counter(); import {module}; "
    "print(time.perf_counter() - start)"
)


def import_seconds(module, env):
    """Median time of importing module in a fresh interpreter (startup itself excluded)."""
    times = []
    for _ in range(REPEATS + 1):  # the first run only fills the bytecode cache
        result = subprocess.run(
            [sys.executable, "-c", PROGRAM.format(module=module)],
            capture_output=True, text=True, check=True, env=env,
        )
        times.append(float(result.stdout.strip().splitlines()[-1]))
    return statistics.median(times[1:])


def heavy_modules_loaded():
    """Names of optional heavy libraries that `import helpers` pulled in (should be none)."""
    check = (
        "import sys, helpers; "
        "print(' '.join(m for m in ('sympy', 'matplotlib', 'ipywidgets', 'IPython') "
        "if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True,
                            check=True)
    return result.stdout.split()


def main():
    # Measure as a learner's machine runs: with compiled bytecode cached (here in a
    # temporary directory, even if the environment disables writing it).
    env = dict(os.environ)
    if env.pop("PYTHONDONTWRITEBYTECODE", None):
        print("note: PYTHONDONTWRITEBYTECODE is set here; measuring with a bytecode cache")
    with tempfile.TemporaryDirectory() as cache:
        env["PYTHONPYCACHEPREFIX"] = cache
        numpy_time = import_seconds("numpy", env)
        helpers_time = import_seconds("helpers", env)
        core_time = import_seconds(CORE, env)
    print(f"import numpy          {numpy_time * 1e3:7.1f} ms  (median of {REPEATS} fresh "
          "interpreters)")
    print(f"import helpers        {helpers_time * 1e3:7.1f} ms")
    print(f"import the core files {core_time * 1e3:7.1f} ms  (numpy included)")
    print(f"ratio helpers / numpy: {helpers_time / numpy_time:.2f}x   "
          f"core / numpy: {core_time / numpy_time:.2f}x")
    heavy = heavy_modules_loaded()
    print("heavy modules loaded by `import helpers`: " + (", ".join(heavy) if heavy else "none"))


if __name__ == "__main__":
    main()
