"""Time the package's backward pass against its forward pass (lesson 08, section 2).

Lesson 08 counts multiply-adds: a dense layer's backward pass does two products as large as
its forward one (dL/dW = x.T @ delta and dL/dX = delta @ W.T), so the package's
Network.backward, which computes dL/dX of the first layer too, does 2.00 times the
multiply-adds of Network.forward; without that one product it would be less (1.15 for the
lesson's 784-256-128-10 network). This measures the time ratio on this computer for a
784-512-512-10 ReLU network and a batch of 256 (float64), next to the floor measured in the
same run: the same matrix products alone, forward (x @ W per layer) against backward (both
products per layer), on arrays of the same shapes. Everything else (activations, loss, checks)
is overhead.

Run by hand:  python benchmarks/bench_backward_forward.py
and with single-threaded BLAS:
              OPENBLAS_NUM_THREADS=1 python benchmarks/bench_backward_forward.py
"""

import os
import time

import numpy as np

from helpers.losses import get_loss
from helpers.network import build_network

SIZES = [784, 512, 512, 10]
BATCH = 256
BLOCKS = 10
REPEATS = 5  # per block; the best of each block, then the median over blocks


def best_seconds(function, repeats):
    """The shortest of ``repeats`` timings of function()."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def main():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(BATCH, SIZES[0]))
    labels = rng.integers(0, SIZES[-1], size=BATCH)
    network = build_network(SIZES, hidden="relu", output="identity", rng=0)
    loss = get_loss("softmax_cross_entropy")
    gradient = loss.gradient(network.forward(X), labels)
    dense = network.layers[::2]
    inputs = [layer.x.copy() for layer in dense]
    weights = [layer.W for layer in dense]
    deltas = [rng.normal(size=(BATCH, layer.n_out)) for layer in dense]

    def forward():
        network.forward(X)

    def backward():
        network.backward(gradient)

    def forward_products():
        for x, W in zip(inputs, weights, strict=True):
            x @ W

    def backward_products(skip_first_dx=False):
        for index, (x, W, delta) in enumerate(zip(inputs, weights, deltas, strict=True)):
            x.T @ delta
            if not (skip_first_dx and index == 0):
                delta @ W.T

    forward_macs = sum(BATCH * layer.n_in * layer.n_out for layer in dense)
    first_dx = BATCH * dense[0].n_in * dense[0].n_out
    print(f"{'-'.join(map(str, SIZES))} ReLU network, batch {BATCH}, float64, numpy "
          f"{np.__version__}, {os.cpu_count()} CPUs, OPENBLAS_NUM_THREADS="
          f"{os.environ.get('OPENBLAS_NUM_THREADS', '')!r}")
    print(f"multiply-adds, backward / forward: {2 * forward_macs / forward_macs:.2f} with dL/dX "
          f"of the first layer, {(2 * forward_macs - first_dx) / forward_macs:.2f} without")
    for _ in range(5):  # warm up
        forward(), backward(), forward_products(), backward_products()
    ratios = {"package": [], "products": [], "products, no first dX": []}
    for _ in range(BLOCKS):  # neighbouring measurements share the machine's state
        f, b = best_seconds(forward, REPEATS), best_seconds(backward, REPEATS)
        fp, bp = best_seconds(forward_products, REPEATS), best_seconds(backward_products, REPEATS)
        bp_skip = best_seconds(lambda: backward_products(skip_first_dx=True), REPEATS)
        ratios["package"].append(b / f)
        ratios["products"].append(bp / fp)
        ratios["products, no first dX"].append(bp_skip / fp)
    print(f"time, backward / forward (medians over {BLOCKS} blocks, best of {REPEATS} each):")
    for name, values in ratios.items():
        print(f"  {name:<24}{np.median(values):6.2f}   (blocks: {min(values):.2f} - "
              f"{max(values):.2f})")
    print("the package's ratio over the floor of its products: "
          f"{np.median(ratios['package']) / np.median(ratios['products']):.2f}x")


if __name__ == "__main__":
    main()
