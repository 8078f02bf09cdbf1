"""How much does one stepper click cost in the kernel, against redrawing its figure?

For the graph stepper and the network stepper (the widgets, without a browser) this times
one click on "next" or "previous" - the state change, the controls, the picture shown -
once every picture is drawn (the pictures are kept, and drawn ahead of the clicks), against
a bare redraw of the same figure to PNG, and prints the ratio. A ratio well below 1 means a
click only swaps pictures. benchmarks/bench_browser_click.py times the same click in the
browser.

Run by hand: python benchmarks/bench_stepper.py
"""

import statistics
import time

from helpers.graph import Value
from helpers.network import build_network
from helpers.plots import figure_to_png, new_figure
from helpers.widgets import GraphStepper, NetworkStepper

REPEATS = 15


def neuron():
    """out = tanh(w1 x1 + w2 x2 + b): 10 nodes."""
    w1, x1, w2, x2, b = (Value(v, n) for v, n in
                         [(-3.0, "w1"), (2.0, "x1"), (1.0, "w2"), (0.0, "x2"), (6.88, "b")])
    return (w1 * x1 + w2 * x2 + b).tanh()


def median_seconds(action, repeats=REPEATS):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(name, stepper):
    state = stepper.state
    state.go_to(state.n_steps // 2)
    stepper._refresh()
    stepper._after_display()  # as in a notebook: the steps around are drawn ahead
    figure = new_figure(state.figsize)
    toggle = [stepper._next, stepper._previous]

    def step():
        toggle[0].click()  # next, previous, next, ...: always a real change of step
        toggle.reverse()

    def bare_redraw():
        figure_to_png(state.draw(figure))

    step()  # warm up
    bare_redraw()
    step_time = median_seconds(step)
    redraw_time = median_seconds(bare_redraw)
    print(f"{name:<28} step {1000 * step_time:7.1f} ms   bare redraw "
          f"{1000 * redraw_time:7.1f} ms   ratio {step_time / redraw_time:6.3f}")


def main():
    measure("graph stepper (10 nodes)", GraphStepper(neuron()))
    measure("network stepper (2-3-1)", NetworkStepper())
    net = build_network([4, 6, 6, 2], hidden="tanh", output="sigmoid", rng=0)
    measure("network stepper (4-6-6-2)", NetworkStepper(net, [0.5, -1.0, 1.5, 0.0],
                                                       [1.0, 0.0]))


if __name__ == "__main__":
    main()
