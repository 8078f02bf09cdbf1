r"""The steps of the network stepper, each one formula with its numbers put in.

Used by the network stepper of lessons 00 (Start here), 01 (Forward propagation) and
05 (Backpropagation). For layer l (1..L) of a network recorded on one input:

- forward: the weighted sum z^{[l]} = a^{[l-1]} W^{[l]} + b^{[l]}, then a^{[l]} = f(z^{[l]});
- the loss L and dL/da^{[L]};
- backward: delta^{[l]} = dL/da^{[l]} * f'(z^{[l]}), then dL/dW^{[l]} = a^{[l-1]T} delta^{[l]},
  dL/db^{[l]} = delta^{[l]} and dL/da^{[l-1]} = delta^{[l]} W^{[l]T};
- the update W <- W - lr dL/dW of every layer.

Each formula is written once, in LaTeX; its plain text is read from it
(``formulas.latex_to_text``). The numbers come from the network's ``LayerRecord``s, with
three significant digits or more where needed: enough that the entries of one vector look
different, and that every weight the update changed reads differently before and after.
"""

from __future__ import annotations

import numpy as np

from ..activations import get_activation
from ..plots.numbers import change_digits
from .formulas import activation_latex, latex_to_text, loss_latex, matrix, number, row

__all__ = ["NetworkStep", "activation_step", "delta_step", "gradients_step", "loss_step",
           "update_step", "weighted_sum_step"]


class NetworkStep:
    """One step of the network stepper.

    Attributes:
        phase: "forward", "loss", "backward" or "update".
        kind: "weighted_sum", "activation", "loss", "delta", "gradients" or "update".
        layer: the layer 1..L it works on (L + 1 for the loss, None for the update).
        title: a short heading, e.g. "layer 1: weighted sum".
        latex: the step with its numbers, LaTeX (lines joined by \\).
        text: the same, plain text (lines joined by "; "), read from ``latex``.
        values: the arrays this step computes, by name, e.g. {"z": (n_l,) array}.
    """

    def __init__(self, phase, kind, layer, title, latex, values):
        self.phase, self.kind, self.layer = phase, kind, layer
        self.title, self.latex, self.values = title, latex, values
        self.text = latex_to_text(latex)

    def __repr__(self):
        return f"NetworkStep({self.phase!r}, {self.kind!r}, layer={self.layer})"


def _a(l: int) -> str:
    """a^{[l]}, the activation of layer l; a^{[0]} is the input x."""
    return "x" if l == 0 else f"a^{{[{l}]}}"


def _d(numerator: str, denominator: str) -> str:
    """The partial derivative d numerator / d denominator in LaTeX."""
    return rf"\frac{{\partial {numerator}}}{{\partial {denominator}}}"


def weighted_sum_step(l: int, dense) -> NetworkStep:
    """z^{[l]} = a^{[l-1]} W^{[l]} + b^{[l]}; ``dense`` is the layer's record (one sample)."""
    z = dense.output[0]
    latex = (rf"z^{{[{l}]}} = {_a(l - 1)}\, W^{{[{l}]}} + b^{{[{l}]}} = {row(dense.input[0])} "
             rf"{matrix(dense.W)} + {row(dense.b)} = {row(z)}")
    return NetworkStep("forward", "weighted_sum", l, f"layer {l}: weighted sum", latex,
                       {"z": z})


def activation_step(l: int, act) -> NetworkStep:
    """a^{[l]} = f(z^{[l]}); ``act`` is the activation layer's record (one sample)."""
    f, a = activation_latex(act.name), act.output[0]
    latex = (rf"{_a(l)} = {f}(z^{{[{l}]}}) = {f}\left({row(act.input[0])}\right) = {row(a)}")
    return NetworkStep("forward", "activation", l, f"layer {l}: activation ({act.name})",
                       latex, {"a": a})


def loss_step(loss_name: str, n_layers: int, output, target, loss_value: float,
              output_grad) -> NetworkStep:
    """The loss L of the output a^{[L]} (n_out,) against the target, and dL/da^{[L]}."""
    L = n_layers
    target = np.asarray(target).reshape(-1)
    target_latex = number(target[0]) if target.size == 1 else row(target)
    latex = (rf"L = {loss_latex(loss_name, L)} = {number(loss_value)}"
             rf"\quad\text{{with }} {_a(L)} = {row(output)},\ y = {target_latex}"
             rf" \\ {_d('L', _a(L))} = {row(output_grad)}")
    return NetworkStep("loss", "loss", L + 1, "loss", latex,
                       {"loss": loss_value, "dL/da": output_grad})


def delta_step(l: int, act) -> NetworkStep:
    """delta^{[l]} = dL/dz^{[l]} from dL/da^{[l]} and f'(z^{[l]}); ``act``: the activation
    layer's record after backward (one sample)."""
    g, delta, z = act.upstream_grad[0], act.downstream_grad[0], act.input[0]
    if act.name == "softmax":  # each output depends on every z: the Jacobian, transposed
        latex = (rf"\delta^{{[{l}]}} = J_{{\operatorname{{softmax}}}}^{{\top}}\,"
                 rf"{_d('L', _a(l))} = {row(delta)}")
    else:
        f, slope = activation_latex(act.name), get_activation(act.name).derivative(z)
        latex = (rf"\delta^{{[{l}]}} = {_d('L', _a(l))} \odot {f}'(z^{{[{l}]}}) = "
                 rf"{row(g)} \odot {row(slope)} = {row(delta)}")
    return NetworkStep("backward", "delta", l, f"layer {l}: delta", latex, {"delta": delta})


def gradients_step(l: int, dense) -> NetworkStep:
    """dL/dW^{[l]}, dL/db^{[l]} and (below the first layer) dL/da^{[l-1]}; ``dense``: the
    layer's record after backward (one sample)."""
    a_prev_t = r"x^{\top}" if l == 1 else rf"a^{{[{l - 1}]\top}}"
    dW, db = _d("L", f"W^{{[{l}]}}"), _d("L", f"b^{{[{l}]}}")
    lines = [
        rf"{dW} = {a_prev_t}\, \delta^{{[{l}]}} = {matrix(dense.dW)}",
        rf"{db} = \delta^{{[{l}]}} = {row(dense.db)}",
    ]
    values = {"dW": dense.dW, "db": dense.db}
    if l > 1:
        upstream = dense.downstream_grad[0]
        lines.append(rf"{_d('L', _a(l - 1))} = \delta^{{[{l}]}} W^{{[{l}]\top}} = "
                     rf"{row(upstream)}")
        values["dL/da_prev"] = upstream
    return NetworkStep("backward", "gradients", l, f"layer {l}: gradients dW, db",
                       r" \\ ".join(lines), values)


def update_step(lr: float, before, after, loss_value: float, loss_after: float) -> NetworkStep:
    """W <- W - lr dL/dW and b <- b - lr dL/db for every layer, and the loss before and after.

    before: the Dense layers' records after backward (W, b, dW, db), layer 1 first;
    after: the Dense layers after the update, in the same order.
    """
    eta, lines, values = number(lr), [], {}
    for l, (old, new) in enumerate(zip(before, after, strict=True), start=1):
        dW = _d("L", f"W^{{[{l}]}}")
        w_digits, b_digits = change_digits(old.W, new.W), change_digits(old.b, new.b)
        lines.append(rf"W^{{[{l}]}} \leftarrow W^{{[{l}]}} - \eta\, {dW}"
                     rf" = {matrix(old.W, w_digits)} - {eta}\,{matrix(old.dW)}"
                     rf" = {matrix(new.W, w_digits)}")
        lines.append(rf"b^{{[{l}]}} \leftarrow {row(old.b, b_digits)} - {eta}\,{row(old.db)}"
                     rf" = {row(new.b, b_digits)}")
        values[f"W{l}"], values[f"b{l}"] = new.W.copy(), new.b.copy()
    digits = change_digits([loss_value], [loss_after])
    lines.append(rf"\text{{loss on this input: }} {number(loss_value, digits)} \to "
                 rf"{number(loss_after, digits)}")
    values["loss_after"] = loss_after
    return NetworkStep("update", "update", None, f"gradient-descent update (lr = {lr:g})",
                       r" \\ ".join(lines), values)
