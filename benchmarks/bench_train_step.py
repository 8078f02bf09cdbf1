"""Time one training step against the matrix products it cannot avoid.

A step of a 784-128-64-10 network (softmax cross-entropy, batch of 256, float64) does
three forward products (X @ W per Dense layer) and six backward ones (dW = x.T @ delta and
dx = delta @ W.T per Dense layer). Those nine products, timed alone in the same run, are
the floor; everything else (activations, loss, checks, the update) is overhead.

Run by hand:  python benchmarks/bench_train_step.py
and with single-threaded BLAS, where the overhead shows most:
              OPENBLAS_NUM_THREADS=1 python benchmarks/bench_train_step.py
"""

import os
import subprocess
import sys
import time

import numpy as np

from helpers.network import build_network
from helpers.training import SGD, train_step

SIZES = [784, 128, 64, 10]
BATCH = 256
REPEATS = 400
BLOCKS = 20


def matmul_floor(X, weights, deltas, activations):
    """The nine matrix products of one step, with fresh outputs as in the real step."""
    for x, W in zip(activations, weights, strict=True):
        x @ W
    for x, W, delta in zip(activations, weights, deltas, strict=True):
        x.T @ delta
        delta @ W.T


def median_seconds(function, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def bench(hidden):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(BATCH, SIZES[0]))
    y = rng.integers(0, SIZES[-1], size=BATCH)
    network = build_network(SIZES, hidden=hidden, output="identity", rng=1)
    optimizer = SGD(0.01)
    weights = [layer.W for layer in network.layers[::2]]
    activations = [X] + [rng.normal(size=(BATCH, n)) for n in SIZES[1:-1]]
    deltas = [rng.normal(size=(BATCH, n)) for n in SIZES[1:]]

    def step():
        train_step(network, X, y, "softmax_cross_entropy", optimizer)

    def floor():
        matmul_floor(X, weights, deltas, activations)

    for _ in range(20):  # warm up
        step()
        floor()
    # Interleave short blocks so that both see the same machine state; the ratio is taken
    # per block (neighbouring measurements) and its median reported.
    step_times, floor_times = [], []
    for _ in range(BLOCKS):
        step_times.append(median_seconds(step, REPEATS // BLOCKS))
        floor_times.append(median_seconds(floor, REPEATS // BLOCKS))
    step_time, floor_time = float(np.median(step_times)), float(np.median(floor_times))
    ratio = float(np.median(np.divide(step_times, floor_times)))
    print(f"{hidden:>5} hidden: step {step_time * 1e3:7.3f} ms   matmul floor "
          f"{floor_time * 1e3:7.3f} ms   ratio {ratio:5.2f}x")
    return ratio


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--hidden":
        bench(sys.argv[2])
        return
    print(f"one training step, {'-'.join(map(str, SIZES))} network, batch {BATCH}, float64")
    print(f"numpy {np.__version__}, OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '')!r}, "
          f"{os.cpu_count()} CPUs, {REPEATS} repeats each (medians)")
    # each configuration in a fresh interpreter, so that one does not inherit the memory
    # allocator's state left by the other
    for hidden in ("tanh", "relu"):
        subprocess.run([sys.executable, __file__, "--hidden", hidden], check=True)
    print("aim: ratio within 1.3x")


if __name__ == "__main__":
    main()
