"""The state of the network stepper: one training step of a small network on one input,
in steps a lesson can show, and where we are among them.

Used in lessons 00 (Start here), 01 (Forward propagation) and 05 (Backpropagation). The
network runs forward and backward once with its record on (``Network.forward(...,
record=True)``); ``network_steps`` turns the records into the steps, each a formula with its
numbers; this state walks through them and says what the drawing shows so far. Plain Python
and matplotlib: tests drive it without a widget; ``views.NetworkStepper`` shows it.
"""

from __future__ import annotations

import numpy as np

from .._validate import as_float_array, check_class_indices, check_positive_float
from ..layers import ActivationLayer, Dense
from ..losses import get_loss
from ..network import Network, build_network
from ..plots import draw_network, network_figsize
from ..plots.network_drawing import label_digits
from ..plots.numbers import change_digits
from ..training import SGD
from .network_steps import (
    NetworkStep,
    activation_step,
    delta_step,
    gradients_step,
    loss_step,
    update_step,
    weighted_sum_step,
)
from .stepping import Stepper, fit_width, fresh_figure

__all__ = ["NetworkStepperState"]


class NetworkStepperState(Stepper):
    """One training step of a small network on one input, in steps a lesson can show.

    Forward layer by layer (weighted sum, then activation), then the loss, then backward
    layer by layer (delta, then dW, db and the gradient for the layer before), then the
    gradient-descent update with the weights before and after.

    Args:
        network: a Network whose Dense layers are each followed by an ActivationLayer (as
            ``build_network`` makes); it is copied, the caller's network is not changed.
            Default: build_network([2, 3, 1], hidden="sigmoid", output="sigmoid").
        x: the input, shape (n_inputs,); default [0.5, -1.0] (zeros if the size differs).
        target: the target, shape (n_outputs,), or a class index for softmax_cross_entropy;
            default ones (class 0).
        loss: "mse", "binary_cross_entropy" or "softmax_cross_entropy".
        lr: the learning rate of the update, a number > 0.

    Attributes a notebook can check:
        index, n_steps, phase, current_step (a NetworkStep), current_latex, current_text,
        description, steps, record (the LayerRecords after forward and backward),
        loss_value, loss_after (on this input after the update), updated_network.
    """

    def __init__(self, network: Network | None = None, x=None, target=None, *, loss="mse",
                 lr: float = 0.5):
        if network is None:
            network = build_network([2, 3, 1], hidden="sigmoid", output="sigmoid", rng=0)
        if not isinstance(network, Network):
            raise TypeError(f"network must be a Network; got {type(network).__name__}")
        self.network = network.copy()
        self._check_layers()
        self.loss = get_loss(loss)
        self.lr = check_positive_float(lr, "lr")
        self.x = self._checked_input(x)
        self.target = self._checked_target(target)
        self.index = 0
        self._run()

    def _check_layers(self):
        kinds = [Dense if isinstance(layer, Dense) else
                 ActivationLayer if isinstance(layer, ActivationLayer) else None
                 for layer in self.network.layers]
        if len(kinds) % 2 or kinds != [Dense, ActivationLayer] * (len(kinds) // 2):
            raise ValueError("the network stepper needs each Dense layer followed by an "
                             f"ActivationLayer (as build_network makes); got {self.network}")

    def _checked_input(self, x) -> np.ndarray:
        """x as a float64 (n_inputs,) array: one input of the network."""
        n_in = self.network.n_inputs
        if x is None:
            return np.array([0.5, -1.0]) if n_in == 2 else np.zeros(n_in)
        array = as_float_array(x, "x")
        if array.size != n_in:
            raise ValueError(f"x must be {n_in} finite numbers (one input of the network); "
                             f"got shape {array.shape}")
        return array.reshape(-1).copy()  # our own: the caller may change theirs later

    def _checked_target(self, target) -> np.ndarray:
        """The target as the loss takes it for one sample: a (1,) class index array for
        softmax cross-entropy given one number, else a (1, n_outputs) row."""
        n_out = self.network.n_outputs
        classes = self.loss.name == "softmax_cross_entropy"
        if target is None:
            target = 0 if classes else np.ones(n_out)
        array = as_float_array(target, "target")
        if classes and array.size == 1:
            return check_class_indices(array.reshape(1), "target", n_out,
                                       f" (the network has {n_out} outputs)")
        if array.size != n_out:
            expected = "a class index or " if classes else ""
            raise ValueError(f"target must be {expected}{n_out} numbers (one per output of "
                             f"the network); got shape {array.shape}")
        return array.reshape(1, -1)

    def _run(self):
        net = self.network
        output = net.forward(self.x[None, :], record=True)
        self.loss_value = float(self.loss.value(output, self.target))
        self.output_grad = np.asarray(self.loss.gradient(output, self.target))
        net.backward(self.output_grad)
        self.record = net.record
        self.updated_network = net.copy()
        SGD(self.lr).step(self.updated_network)
        after = self.updated_network.forward(self.x[None, :])
        self.loss_after = float(self.loss.value(after, self.target))
        self.steps = self._build_steps()

    @property
    def n_layers(self) -> int:
        return len(self.record) // 2

    def layer_records(self, layer: int):
        """(dense record, activation record) of layer 1..L."""
        return self.record[2 * layer - 2], self.record[2 * layer - 1]

    @property
    def current_step(self) -> NetworkStep:
        return self.steps[self.index]

    @property
    def phase(self) -> str:
        return self.current_step.phase

    @property
    def current_latex(self) -> str:
        return self.current_step.latex

    @property
    def current_text(self) -> str:
        return self.current_step.text

    @property
    def description(self) -> str:
        return f"step {self.index + 1} of {self.n_steps}: {self.current_step.title}"

    def _build_steps(self) -> list[NetworkStep]:
        L = self.n_layers
        steps = []
        for l in range(1, L + 1):
            dense, act = self.layer_records(l)
            steps += [weighted_sum_step(l, dense), activation_step(l, act)]
        steps.append(loss_step(self.loss.name, L, self.record[-1].output[0], self.target,
                               self.loss_value, self.output_grad[0]))
        for l in range(L, 0, -1):
            dense, act = self.layer_records(l)
            steps += [delta_step(l, act), gradients_step(l, dense)]
        steps.append(update_step(self.lr, self.record[::2], self._dense(self.updated_network),
                                 self.loss_value, self.loss_after))
        return steps

    @staticmethod
    def _dense(network: Network) -> list[Dense]:
        return [layer for layer in network.layers if isinstance(layer, Dense)]

    # the picture --------------------------------------------------------------------------
    def _all_values(self) -> dict:
        """z, a and delta of every layer, the loss before and after: what the last step knows."""
        records = [self.layer_records(l) for l in range(1, self.n_layers + 1)]
        return dict(pre_activations=[dense.output[0] for dense, _ in records],
                    activations=[act.output[0] for _, act in records],
                    deltas=[dense.upstream_grad[0] for dense, _ in records],
                    target=self.target.reshape(-1),
                    loss=self.loss_value, loss_after=self.loss_after)

    def view(self) -> dict:
        """The keyword arguments of ``draw_network`` for the current step.

        Every step writes each kind of number with the same digits (those the whole pass
        needs, ``label_digits``) and the same font; the update step shows the weights after
        it with the digits of its formula, and the loss before and after it.
        """
        L = self.n_layers
        done = self.steps[: self.index + 1]
        z, a, deltas = [None] * L, [None] * L, [None] * L
        for step in done:
            if step.kind == "weighted_sum":
                z[step.layer - 1] = step.values["z"]
            elif step.kind == "activation":
                a[step.layer - 1] = step.values["a"]
            elif step.kind == "delta":
                deltas[step.layer - 1] = step.values["delta"]
        step = self.current_step
        weight_grads = [None] * L
        if step.kind == "gradients":
            weight_grads[step.layer - 1] = step.values["dW"]
        weights, edge_digits = None, None
        if step.kind == "update":
            before = [dense.W for dense, _ in map(self.layer_records, range(1, L + 1))]
            weights = [layer.W for layer in self._dense(self.updated_network)]
            edge_digits = [change_digits(old, new) for old, new in zip(before, weights,
                                                                        strict=True)]
        past_loss = any(s.kind == "loss" for s in done)
        sizes = [self.network.n_inputs] + [r.output.shape[1] for r in self.record[::2]]
        everything = self._all_values()
        return dict(x=self.x, pre_activations=z, activations=a, deltas=deltas,
                    weights=weights, weight_grads=weight_grads, edge_digits=edge_digits,
                    target=self.target.reshape(-1) if past_loss else None,
                    loss=self.loss_value if past_loss else None,
                    loss_after=self.loss_after if step.kind == "update" else None,
                    highlight=step.layer,
                    weight_labels="all" if max(sizes) <= 4 else "highlighted",
                    digits=label_digits(self.x, everything["pre_activations"],
                                        everything["activations"], everything["deltas"]),
                    fit_to=everything)

    @property
    def figsize(self) -> tuple[float, float]:
        return fit_width(network_figsize(self.network, with_loss=True))

    def draw(self, fig=None):
        """Draw the network at this step into ``fig`` (cleared) or a new Figure; returns it."""
        fig = fresh_figure(fig, self.figsize)
        draw_network(self.network, title=self.description, ax=fig.add_subplot(),
                     loss_box=True, **self.view())
        return fig
