"""Benchmark of helpers.graph and of expression sizes in helpers.symbolic (run by hand).

    python benchmarks/bench_graph.py [--quick] [--large]

1. Forward plus backward time per node of a Value graph with 1e3, 1e4 and 1e5 nodes,
   plain and with recording (forward_steps + backward_steps). The time per node should
   stay flat (ratio to the 1e3 graph near 1): the passes are linear in the graph size.
   In practice it rises from 1e3 to 1e5 nodes while the graph outgrows the CPU caches and
   then levels off; ``--large`` adds a 1e6-node graph to show the levelling off.
2. The size of the gradient written out in full against the chain-rule (backprop) form,
   for chains of 1..6 layers of width 2 (``--quick``: 1..4).
"""

import gc
import sys
import time

from helpers.graph import Value


def build_graph(n_nodes: int) -> Value:
    """A deep graph of about n_nodes nodes: h <- tanh(h * w) + x, repeated.

    The inputs x and w are used at every step, so their gradients accumulate.
    """
    x, w = Value(0.5, "x"), Value(0.9, "w")
    h = x
    for _ in range((n_nodes - 2) // 3):
        h = (h * w).tanh() + x
    return h


def plain_pass(n_nodes: int) -> int:
    out = build_graph(n_nodes)
    out.backward()
    return len(out.topological_order())


def recorded_pass(n_nodes: int) -> int:
    out = build_graph(n_nodes)
    out.forward_steps()
    out.backward_steps()
    return len(out.topological_order())


def seconds_per_node(run, n_nodes: int, collect: bool) -> tuple[int, float]:
    """(actual node count, best time per node in seconds), over about 3e5 nodes in all.

    collect=False switches Python's cyclic garbage collector off while timing, which
    separates the passes' own cost from the collector's (it scans all live objects).
    """
    best, count = float("inf"), 0
    for _ in range(max(3, 300_000 // n_nodes)):
        gc.collect()
        if not collect:
            gc.disable()
        try:
            start = time.perf_counter()
            count = run(n_nodes)
            best = min(best, time.perf_counter() - start)
        finally:
            gc.enable()
    return count, best / count


def main(quick: bool = False, large: bool = False) -> None:
    print("Value graph: build (forward) + backward, best of several runs")
    print(f"{'mode':>9} {'gc':>4} {'nodes':>8} {'total ms':>9} {'us/node':>8} "
          f"{'ratio to 1e3':>13}")
    for mode, run in (("plain", plain_pass), ("recorded", recorded_pass)):
        for collect in (True, False):
            base = None
            for n_nodes in (1_000, 10_000, 100_000) + ((1_000_000,) if large else ()):
                count, per_node = seconds_per_node(run, n_nodes, collect)
                base = base or per_node
                print(f"{mode:>9} {'on' if collect else 'off':>4} {count:>8} "
                      f"{per_node * count * 1e3:>9.1f} {per_node * 1e6:>8.2f} "
                      f"{per_node / base:>13.2f}")

    from helpers.symbolic import expression_size_table, format_size_table

    max_depth = 4 if quick else 6
    print("\nGradient size (sympy.count_ops) for chains of width-2 tanh layers with mse, "
          f"depth 1..{max_depth}")
    start = time.perf_counter()
    print(format_size_table(expression_size_table(max_depth)))
    print(f"(table built in {time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main(quick="--quick" in sys.argv, large="--large" in sys.argv)
