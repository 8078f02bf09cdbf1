"""Checks for lesson 02 (Activation functions).

``check_activation``: an activation's values f(z); ``check_activation_derivative``: its
derivative f'(z), entry by entry. The functions themselves come from ``helpers.activations``;
the mistakes named here (a sign in the exponent, z put where sigmoid(z) belongs, a forgotten
square) are the ones learners make when they write them.
"""

from __future__ import annotations

import numpy as np

from .._validate import as_float_array, check_choice
from ..activations import ACTIVATIONS, get_activation
from .feedback import Feedback, _check
from .judging import _evaluate, _normal_like

__all__ = ["check_activation", "check_activation_derivative"]


def _activation_name(name, *, derivative: bool) -> str:
    """The activation's name in lower case; ValueError listing the valid ones otherwise.

    derivative: softmax is refused, as it has no entry-by-entry derivative.
    """
    valid = [n for n in ACTIVATIONS if not (derivative and n == "softmax")]
    try:
        return check_choice(name.lower() if isinstance(name, str) else name, "activation", valid)
    except ValueError as error:
        if derivative:
            raise ValueError(f"{error} (softmax has no elementwise derivative: use check_delta)"
                             ) from None
        raise


@_check
def check_activation(answer, name: str, z) -> Feedback:
    """Check an activation's values f(z).

    answer: f(z) with the shape of z, or a function f(z) returning it (then it is also tried at
    other z of the same shape). name: "identity", "relu", "sigmoid", "softmax" or "tanh".
    z: pre-activation, any shape ((n, k) or (k,) for softmax, which normalises each row).
    """
    name = _activation_name(name, derivative=False)
    z = as_float_array(z, "z")
    act = get_activation(name)

    def mistakes(z):
        sigmoid, tanh = get_activation("sigmoid").forward, get_activation("tanh").forward
        exp = np.exp(z - z.max())  # one shift for all entries keeps every ratio
        table = {
            "sigmoid": [(lambda: sigmoid(-z), "the sign in the exponent: "
                         "sigmoid(z) = 1 / (1 + exp(-z)).")],
            "tanh": [(lambda: sigmoid(z), "that is the sigmoid, whose values lie in (0, 1); "
                      "tanh's lie in (-1, 1)."),
                     (lambda: 2 * sigmoid(z) - 1, "tanh(z) = 2 * sigmoid(2 * z) - 1: "
                      "the sigmoid's argument is 2 * z.")],
            "relu": [(lambda: np.abs(z), "negative inputs must become 0, not change sign."),
                     (lambda: np.minimum(z, 0), "you kept the negative part; "
                      "ReLU keeps max(0, z).")],
            "softmax": [(lambda: np.exp(z), "you forgot to divide by the sum of the exponentials."),
                        (lambda: exp / exp.sum(axis=0, keepdims=True),
                         "you normalised each column (axis 0); each row must sum to 1: "
                         "sum over axis=-1 with keepdims=True."),
                        (lambda: exp / exp.sum(), "you divided by the sum over the whole array; "
                         "each row must sum to 1 on its own."),
                        (lambda: sigmoid(z), "that is the sigmoid of each entry; softmax divides "
                         "exp(z) by the sum over the row.")],
        }
        if name != "softmax":
            table.setdefault(name, []).append(
                (lambda: act.derivative(z), f"that is the derivative {name}'(z), not {name}(z)."))
        table.setdefault(name, []).append(
            (lambda: tanh(z), f"that is tanh; the exercise asks for {name}."))
        return table.get(name, [])

    return _evaluate(
        answer, f"{name}(z)", (z,), ("z",),
        truth=act.forward, mistakes=mistakes,
        sample=lambda rng: (_normal_like(rng, z, 2.0),),
    )


@_check
def check_activation_derivative(answer, name: str, z) -> Feedback:
    """Check an activation's derivative f'(z), elementwise.

    answer: f'(z) with the shape of z, or a function f'(z) returning it (then also tried at other
    z). name: "identity", "relu", "sigmoid" or "tanh". z: pre-activation, any shape.
    ReLU's slope at exactly z = 0 is undefined: any value in [0, 1] is accepted there.
    """
    name = _activation_name(name, derivative=True)
    z = as_float_array(z, "z")
    act = get_activation(name)

    def mistakes(z):
        f = act.forward
        table = {
            "sigmoid": [(lambda: z * (1 - z), "you put z into s * (1 - s); "
                         "first compute s = sigmoid(z)."),
                        (lambda: f(z) * (1 + f(z)), "the derivative is s * (1 - s), "
                         "with a minus.")],
            "tanh": [(lambda: 1 - z**2, "you put z into 1 - t**2; first compute t = tanh(z)."),
                     (lambda: 1 - f(z), "you forgot the square: 1 - tanh(z)**2."),
                     (lambda: 1 + f(z) ** 2, "the derivative is 1 - tanh(z)**2, with a minus.")],
            "relu": [(lambda: np.ones_like(z), "the slope is 0 where z < 0."),
                     (lambda: (z < 0).astype(float), "the step is reversed: "
                      "the slope is 1 where z > 0 and 0 where z < 0.")],
            "identity": [(lambda: np.zeros_like(z), "the identity f(z) = z has slope 1 "
                          "everywhere.")],
        }.get(name, [])
        return [*table, (lambda: f(z), f"that is {name}(z) itself, not its derivative.")]

    def fix(got, expected, z):  # any slope in [0, 1] is fine for ReLU at exactly 0
        if name != "relu":
            return expected
        return np.where(z == 0, np.clip(got, 0.0, 1.0), expected)

    return _evaluate(
        answer, f"{name}'(z)", (z,), ("z",),
        truth=act.derivative, mistakes=mistakes,
        sample=lambda rng: (_normal_like(rng, z, 2.0),), fix=fix,
    )
