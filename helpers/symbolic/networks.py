"""A small fully connected network written out entry by entry in symbols.

Taught in lesson 05 (Backpropagation), where its gradients are compared with the package's
backward pass and with central differences (``SymbolicNetwork.compare``), and in lesson 08
(Why backprop works at scale), where ``backprop_equations`` names every intermediate value
once. The activations and losses in symbols come from ``derivations``.
"""

from __future__ import annotations

import math
from functools import cached_property

import numpy as np
import sympy as sp

from .._validate import (
    as_float_array,
    check_choice,
    check_class_indices,
    check_positive_float,
    check_positive_int,
)
from ..gradcheck import numeric_gradient, relative_error
from ..layers import ActivationLayer, Dense
from ..losses import get_loss
from ..network import Network, build_network
from .chain_rule import ChainRuleResult, chain_rule_gradient
from .derivations import (
    ACTIVATION_NAMES,
    LOSS_NAMES,
    activation_expression,
    activation_local_derivative,
    sample_loss,
)
from .reports import GradientReport, GradientRow

__all__ = ["SymbolicNetwork"]


def _index(*numbers: int) -> str:
    """Subscript of symbol names: "12" for small indices, "1,12" when one is >= 10."""
    return ("," if any(n >= 10 for n in numbers) else "").join(str(n) for n in numbers)


class SymbolicNetwork:
    """A small fully connected network written out entry by entry in symbols.

    Layer l (1-based) is z^{(l)}_j = sum_i a^{(l-1)}_i w^{(l)}_{ij} + b^{(l)}_j followed by
    a^{(l)} = f(z^{(l)}), with a^{(0)} = x; the same as helpers.network.build_network(sizes,
    hidden=..., output=...), where W_l[i-1, j-1] is w^{(l)}_{ij}. The loss is one sample's
    loss as in helpers.losses (the batch loss is its mean over samples).

    Args:
        sizes: [n_inputs, hidden sizes..., n_outputs], e.g. [2, 2, 1] or [2, 3, 2].
        hidden, output: activation names ("identity", "relu", "sigmoid", "softmax", "tanh").
        loss: "mse", "binary_cross_entropy" or "softmax_cross_entropy" (on the output as
            logits, as helpers.losses does).

    Attributes:
        x (list[Symbol]): x_1 .. x_n. y (list[Symbol]): y_1 .. y_k, the target.
        weights (list[Matrix]): per layer, (n_in, n_out) symbols w^{(l)}_{ij}.
        biases (list[Matrix]): per layer, (1, n_out) symbols b^{(l)}_{j}.
        pre_activations, activations (list[Matrix]): per layer, (1, n_out) expressions.
        output (Matrix): (1, n_outputs), the last activation.
        loss (Expr): one sample's loss.
        parameters (dict[str, Symbol]): "W1[0, 1]" -> w^{(1)}_{12}, ..., "b1[0]" -> b^{(1)}_{1}.
        gradients (dict[str, Expr]): dL/d(parameter) by sympy.diff (computed on first use).
    """

    def __init__(self, sizes, *, hidden: str = "tanh", output: str = "identity",
                 loss: str = "mse"):
        sizes = list(sizes)
        if len(sizes) < 2:
            raise ValueError(f"sizes must list at least the input and output sizes "
                             f"[n_inputs, ..., n_outputs]; got {sizes}")
        sizes = [check_positive_int(size, f"sizes[{k}]") for k, size in enumerate(sizes)]
        check_choice(hidden, "hidden activation", ACTIVATION_NAMES)
        check_choice(output, "output activation", ACTIVATION_NAMES)
        check_choice(loss, "loss", LOSS_NAMES)
        self.sizes, self.hidden, self.output_activation, self.loss_name = (
            sizes, hidden, output, loss)
        self.x = [sp.Symbol(f"x_{{{i + 1}}}", real=True) for i in range(sizes[0])]
        self.y = [sp.Symbol(f"y_{{{j + 1}}}", real=True) for j in range(sizes[-1])]
        self.weights, self.biases = [], []
        self.pre_activations, self.activations = [], []
        self.parameters: dict[str, sp.Symbol] = {}
        a = sp.Matrix([self.x])
        for l, (n_in, n_out) in enumerate(zip(sizes, sizes[1:], strict=False), start=1):
            W = sp.Matrix(n_in, n_out, lambda i, j, l=l: sp.Symbol(
                f"w^{{({l})}}_{{{_index(i + 1, j + 1)}}}", real=True))
            b = sp.Matrix(1, n_out, lambda _, j, l=l: sp.Symbol(
                f"b^{{({l})}}_{{{j + 1}}}", real=True))
            self.parameters.update({f"W{l}[{i}, {j}]": W[i, j]
                                    for i in range(n_in) for j in range(n_out)})
            self.parameters.update({f"b{l}[{j}]": b[j] for j in range(n_out)})
            z = a * W + b
            name = output if l == len(sizes) - 1 else hidden
            a = _apply_activation(name, z)
            self.weights.append(W)
            self.biases.append(b)
            self.pre_activations.append(z)
            self.activations.append(a)
        self.output = a
        self.loss = sample_loss(loss, list(a), self.y)

    @classmethod
    def from_network(cls, network, loss: str = "mse") -> SymbolicNetwork:
        """The SymbolicNetwork with the structure of a helpers.network.Network.

        The network must be Dense layers each followed by one ActivationLayer (as made by
        build_network), all hidden activations the same.
        """
        _check_network(network)
        layers = list(network.layers)
        sizes, activations = [], []
        for k in range(0, len(layers), 2):
            dense = layers[k]
            after = layers[k + 1] if k + 1 < len(layers) else None
            if not isinstance(dense, Dense) or not isinstance(after, ActivationLayer):
                raise ValueError(f"network must alternate Dense and ActivationLayer (as "
                                 f"build_network makes); got {network!r}")
            sizes = sizes or [dense.n_in]
            sizes.append(dense.n_out)
            activations.append(after.activation.name)
        if len(set(activations[:-1])) > 1:
            raise ValueError(f"the hidden activations differ ({activations[:-1]}); "
                             "expected one hidden activation")
        hidden = activations[0] if len(activations) > 1 else "tanh"
        return cls(sizes, hidden=hidden, output=activations[-1], loss=loss)

    def __repr__(self) -> str:
        return (f"SymbolicNetwork({self.sizes}, hidden={self.hidden!r}, "
                f"output={self.output_activation!r}, loss={self.loss_name!r}: "
                f"{len(self.parameters)} parameters)")

    @cached_property
    def gradients(self) -> dict[str, sp.Expr]:
        """dL/d(parameter) for every parameter name, by sympy.diff of the whole loss."""
        return {name: sp.diff(self.loss, symbol) for name, symbol in self.parameters.items()}

    def chain_rule(self, parameter: str) -> ChainRuleResult:
        """chain_rule_gradient of the loss with respect to one parameter, e.g. "W1[0, 1]"."""
        return chain_rule_gradient(self.loss, self._symbol(parameter), output_name="L")

    def _symbol(self, parameter: str) -> sp.Symbol:
        return self.parameters[check_choice(parameter, "parameter", self.parameters)]

    @cached_property
    def _functions(self):
        args = [self.x, self.y, list(self.parameters.values())]
        # sympy's Heaviside(0) is 1/2; helpers.activations takes ReLU's slope at exactly 0
        # as 0, so the numbers use Heaviside(z, 0) to agree with the package's backward pass
        gradients = [_relu_slope_zero_at_kink(g) for g in self.gradients.values()]
        loss = sp.lambdify(args, self.loss, modules="numpy", cse=True)
        grads = sp.lambdify(args, gradients, modules="numpy", cse=True)
        return loss, grads

    def _numbers(self, X, y, network):
        """Columns of X and y, and the parameter values of network, as lambdify args."""
        X = as_float_array(X, "X", ndim=2)
        if X.shape[1] != self.sizes[0]:
            raise ValueError(f"X has shape {X.shape}; expected (n_samples, {self.sizes[0]})")
        Y = self._targets(y, len(X))
        _check_network(network)
        values = []
        dense = [layer for layer in network.layers if isinstance(layer, Dense)]
        if [d.W.shape for d in dense] != [W.shape for W in self.weights]:
            raise ValueError(f"network {network!r} does not have the layer sizes {self.sizes}")
        for layer in dense:  # the order of self.parameters: each layer's W row by row, then b
            values += list(layer.W.ravel()) + list(layer.b)
        return [list(X.T), list(Y.T), values], X, Y

    def _targets(self, y, n: int) -> np.ndarray:
        """y as an (n, n_outputs) float array (class indices -> one-hot for softmax CE)."""
        k = self.sizes[-1]
        y = as_float_array(y, "y", ndim=(1, 2))
        if y.ndim == 1 and self.loss_name == "softmax_cross_entropy" and k > 1:
            y = np.eye(k)[check_class_indices(y, "y", k)]
        y = y.reshape(len(y), -1)
        if y.shape != (n, k):
            raise ValueError(f"y has shape {y.shape}; expected ({n}, {k}) or ({n},)")
        return y

    def evaluate(self, X, y, network) -> tuple[float, dict[str, float]]:
        """The batch loss and its symbolic gradient at these numbers.

        Args:
            X: (n, n_inputs) inputs. y: (n, n_outputs) targets (or (n,) class labels for
                softmax cross-entropy, or (n,) when n_outputs == 1).
            network: a helpers.network.Network with this structure, giving W and b.

        Returns:
            (loss, {parameter name: dL/dparameter}), both averaged over the n samples.
        """
        args, X, _ = self._numbers(X, y, network)
        loss_function, grad_function = self._functions
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            loss = float(np.mean(np.broadcast_to(loss_function(*args), (len(X),))))
            grads = [float(np.mean(np.broadcast_to(g, (len(X),)))) for g in grad_function(*args)]
        if not all(map(math.isfinite, [loss, *grads])):
            raise ValueError("the symbolic formulas overflowed at these numbers; use inputs "
                             "and weights of moderate size")
        return loss, dict(zip(self.parameters, grads, strict=True))

    def compare(self, X, y, network=None, *, rng=0, h: float = 1e-6) -> GradientReport:
        """Every parameter's gradient three ways: symbolic, backprop and numeric.

        Args:
            X: (n, n_inputs). y: targets as for helpers.losses.
            network: a helpers.network.Network with this structure; default
                build_network(sizes, hidden=..., output=..., rng=rng).
            h: step of the central differences.

        Returns:
            GradientReport: rows named like "W1[0, 1]", with the largest relative error.
        """
        h = check_positive_float(h, "h")
        if network is None:
            network = build_network(self.sizes, hidden=self.hidden,
                                    output=self.output_activation, rng=rng)
        other = SymbolicNetwork.from_network(network, self.loss_name)
        if (other.sizes, other.output_activation) != (self.sizes, self.output_activation) or (
            len(self.sizes) > 2 and other.hidden != self.hidden
        ):
            raise ValueError(
                f"network {network!r} does not match sizes={self.sizes}, hidden="
                f"{self.hidden!r}, output={self.output_activation!r}"
            )
        loss_value, symbolic = self.evaluate(X, y, network)
        _, X, Y = self._numbers(X, y, network)
        loss = get_loss(self.loss_name)
        network.backward(loss.gradient(network.forward(X), Y))
        backprop, numeric = {}, {}
        l = 0
        for parameter in network.parameters():
            if parameter.name == "W":
                l += 1
            numbers = numeric_gradient(lambda _: loss.value(network.forward(X), Y),
                                       parameter.value, h=h)
            for index in np.ndindex(parameter.value.shape):
                name = f"{parameter.name}{l}[{', '.join(map(str, index))}]"
                backprop[name], numeric[name] = parameter.grad[index], numbers[index]
        rows = []
        for name, symbol in self.parameters.items():
            values = (symbolic[name], float(backprop[name]), float(numeric[name]))
            error = max(relative_error(a, b, floor=1e-8)
                        for a, b in ((values[0], values[1]), (values[0], values[2]),
                                     (values[1], values[2])))
            rows.append(GradientRow(name, symbol, *values, error))
        return GradientReport(rows, loss_value, self.loss_name)

    def backprop_equations(self) -> list[tuple[sp.Symbol, sp.Expr]]:
        """The forward and backward passes as a list of assignments with named values.

        Every intermediate (z, a, the loss L, delta = dL/dz, dW, db) gets its own symbol,
        so each value is computed once and reused: this is what backprop evaluates.

        Returns:
            list of (Symbol, expression), in the order they are computed; an expression
            uses only x, y, the parameters and symbols assigned before it.
        """
        equations = []
        a_prev = list(self.x)
        a_symbols, z_symbols = [], []
        for l, (W, b) in enumerate(zip(self.weights, self.biases, strict=True), start=1):
            z = [sp.Symbol(f"z^{{({l})}}_{{{j + 1}}}", real=True) for j in range(W.cols)]
            a = [sp.Symbol(f"a^{{({l})}}_{{{j + 1}}}", real=True) for j in range(W.cols)]
            for j in range(W.cols):
                equations.append((z[j], sum(a_prev[i] * W[i, j] for i in range(W.rows))
                                  + b[j]))
            name = self.output_activation if l == len(self.weights) else self.hidden
            for j, value in enumerate(_apply_activation(name, sp.Matrix([z]))):
                equations.append((a[j], value))
            z_symbols.append(z)
            a_symbols.append(a)
            a_prev = a
        loss_symbol = sp.Symbol("L", real=True)
        equations.append((loss_symbol, sample_loss(self.loss_name, a_prev, self.y)))
        # backward: delta = dL/dz, layer by layer from the output
        upstream = [sp.diff(equations[-1][1], a_j) for a_j in a_prev]  # dL/da, last layer
        for l in range(len(self.weights), 0, -1):
            name = self.output_activation if l == len(self.weights) else self.hidden
            delta = [sp.Symbol(rf"\delta^{{({l})}}_{{{j + 1}}}", real=True)
                     for j in range(len(upstream))]
            for j, value in enumerate(_activation_backward(name, z_symbols[l - 1],
                                                           a_symbols[l - 1], upstream)):
                equations.append((delta[j], value))
            inputs = self.x if l == 1 else a_symbols[l - 2]
            W = self.weights[l - 1]
            for i in range(W.rows):
                for j in range(W.cols):
                    equations.append((sp.Symbol(f"dW{l}[{i}, {j}]"), inputs[i] * delta[j]))
            for j in range(W.cols):
                equations.append((sp.Symbol(f"db{l}[{j}]"), delta[j]))
            upstream = [sum(W[i, j] * delta[j] for j in range(W.cols)) for i in range(W.rows)]
        return equations


def _check_network(network) -> None:
    """TypeError unless network is a helpers.network.Network."""
    if not isinstance(network, Network):
        raise TypeError(f"network must be a helpers.network.Network (e.g. from build_network); "
                        f"got {type(network).__name__}")


def _relu_slope_zero_at_kink(expr: sp.Expr) -> sp.Expr:
    """expr with every Heaviside(a) (1/2 at a = 0) replaced by Heaviside(a, 0)."""
    return expr.replace(sp.Heaviside, lambda a, *_: sp.Heaviside(a, 0))


def _apply_activation(name: str, z: sp.Matrix) -> sp.Matrix:
    """The activation applied to a (1, k) Matrix of pre-activations."""
    if name == "softmax":
        return activation_expression("softmax", z).reshape(1, len(z))
    return z.applyfunc(lambda entry: activation_expression(name, entry))


def _activation_backward(name, z, a, upstream):
    """dL/dz from dL/da, written with the stored a (or z) as backprop does: lists of k.

    Element-wise: dL/dz_j = dL/da_j * f'(z_j), with f' from activation_local_derivative
    (sigmoid a_j (1 - a_j), tanh 1 - a_j**2, relu H(z_j), identity 1). Softmax mixes the
    entries: dL/dz_j = s_j (dL/da_j - sum_i dL/da_i s_i), the Jacobian-vector product.
    """
    if name == "softmax":
        dot = sum(g * s for g, s in zip(upstream, a, strict=True))
        return [s * (g - dot) for g, s in zip(upstream, a, strict=True)]
    return [g * activation_local_derivative(name, z_j, a_j)
            for g, z_j, a_j in zip(upstream, z, a, strict=True)]

