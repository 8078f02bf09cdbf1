"""Derivatives of every activation and loss of the course, each proven equal to sympy.diff.

Taught in lessons 02 (Activation functions) and 04 (Loss functions). Each check puts the
derivative as a textbook writes it (sigmoid' = s (1 - s), dL/dp = (p - y) / n, ...) beside
``sympy.diff`` of the function itself, in a ``DerivativeCheck``. The activations in symbols
come from the graph's table of operations (``activation_expression``); the losses are written
here once, one sample at a time (``sample_loss``), as helpers.losses computes them.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .._validate import check_choice, check_positive_int
from ..activations import ACTIVATIONS
from ..graph import OPERATIONS
from ..losses import LOSSES
from .chain_rule import assert_expressions_equal, expressions_equal
from .forms import operation_expression, sigmoid_expression, unary_derivative

__all__ = ["ACTIVATION_NAMES", "LOSS_NAMES", "DerivativeCheck", "activation_derivative",
           "activation_expression", "activation_local_derivative", "all_derivative_checks",
           "loss_derivative", "sample_loss", "softmax_jacobian_derivative"]

ACTIVATION_NAMES = tuple(ACTIVATIONS)
LOSS_NAMES = tuple(LOSSES)


_SOFTMAX_HAS_A_JACOBIAN = ("softmax has a Jacobian, not an element-wise derivative; use "
                           "softmax_jacobian_derivative()")

def activation_expression(name: str, z):
    """The activation ``name`` applied to z (a sympy expression; softmax: a 1-row Matrix).

    sigmoid 1/(1 + exp(-z)), tanh(z), relu Max(0, z): the graph's own operations of the same
    name (their sympy forms in helpers.graph.OPERATIONS); identity z; softmax exp(z_j)/sum,
    a Matrix of the shape of z.
    """
    check_choice(name, "activation", ACTIVATION_NAMES)
    if name == "identity":
        return z
    if name == "softmax":
        z = sp.Matrix(z)
        e = z.applyfunc(sp.exp)
        return e / sum(e)
    if name not in OPERATIONS:
        raise ValueError(f"the activation {name!r} has no sympy form: helpers.graph.OPERATIONS "
                         f"has no operation named {name!r}")
    return operation_expression(name, [z])


def activation_local_derivative(name: str, z: sp.Expr, a: sp.Expr | None = None) -> sp.Expr:
    """f'(z) of an element-wise activation, by sympy.diff of ``activation_expression``.

    Args:
        name: an element-wise activation ("identity", "relu", "sigmoid", "tanh").
        z: the pre-activation (a sympy expression).
        a: a symbol for the stored activation f(z), as backprop keeps it; a derivative that is
            a polynomial in f(z) is written with it: sigmoid a (1 - a), tanh 1 - a**2.
            Default: f(z) written out.

    Returns:
        a sympy expression (relu: Heaviside(z), 1/2 at z = 0 in sympy).
    """
    if name == "softmax":
        raise ValueError(_SOFTMAX_HAS_A_JACOBIAN)
    return unary_derivative(lambda u: activation_expression(name, u), z, a)


@dataclass
class DerivativeCheck:
    """A textbook derivative side by side with sympy.diff of the function itself.

    Attributes:
        name (str): e.g. "sigmoid", "softmax Jacobian", "mse".
        variables (tuple[sympy.Symbol, ...]): what is differentiated with respect to.
        expression: the function (sympy expression, or Matrix for softmax).
        rule: the textbook derivative, e.g. s (1 - s), written out in the variables
            (a Matrix for vector derivatives, shaped like the variables).
        diff: sympy's own derivative of ``expression`` (same shape as ``rule``).
        rule_latex (str): the rule as taught, e.g. ``\\sigma'(z) = s\\,(1 - s)``.
        assumption (str): a condition the rule needs ("" if none).
    """

    name: str
    variables: tuple
    expression: object
    rule: object
    diff: object
    rule_latex: str
    assumption: str = ""

    def equal(self) -> bool:
        """True if rule - diff simplifies to 0 (entry by entry)."""
        return expressions_equal(self.rule, self.diff)

    def check(self) -> None:
        """Raise AssertionError unless ``equal()``."""
        assert_expressions_equal(self.rule, self.diff, f"the {self.name} rule and sympy.diff")

    def latex(self) -> str:
        """The rule and sympy's derivative, e.g. for a notebook's Markdown."""
        extra = rf"\quad\text{{({self.assumption})}}" if self.assumption else ""
        return rf"{self.rule_latex}{extra}"

    def _status(self) -> tuple[str, str]:
        """("✓", "=") if the rule equals sympy.diff, else ("✗", "≠")."""
        return ("✓", "=") if self.equal() else ("✗", "≠")

    def __repr__(self) -> str:
        mark, relation = self._status()
        names = [str(v) for v in self.variables]
        wrt = names[0] if len(names) == 1 else f"{len(names)} variables"
        return f"DerivativeCheck({self.name} (wrt {wrt}): rule {relation} sympy.diff {mark})"

    def _repr_latex_(self) -> str:
        mark, relation = self._status()
        relation = "=" if relation == "=" else r"\neq"
        return (rf"$${self.latex()}\qquad\text{{rule}} {relation} \text{{sympy.diff}}"
                rf"\ \text{{{mark}}}$$")


# The derivative of each element-wise activation as a textbook writes it, in the input z and
# the activation's value f = f(z), beside its LaTeX. It is what activation_derivative checks
# against sympy.diff, so it is written out by hand on purpose.
_TEXTBOOK_RULES = {
    "identity": (lambda z, f: sp.Integer(1), r"\operatorname{id}'(z) = 1"),
    "relu": (lambda z, f: sp.Heaviside(z), r"\operatorname{ReLU}'(z) = H(z) = [z > 0]"),
    "sigmoid": (lambda z, f: f * (1 - f), r"\sigma'(z) = s\,(1 - s),\quad s = \sigma(z)"),
    "tanh": (lambda z, f: 1 - sp.tanh(z) ** 2, r"\tanh'(z) = 1 - \tanh^2(z)"),
}


def activation_derivative(name: str) -> DerivativeCheck:
    """The derivative of one element-wise activation, checked against sympy.diff.

    Args:
        name: "sigmoid" (s (1 - s)), "tanh" (1 - tanh^2), "relu" (the Heaviside step),
            or "identity" (1). Softmax has a Jacobian: see softmax_jacobian_derivative.

    Returns:
        DerivativeCheck with scalar expression, rule and diff in the real symbol z.
    """
    check_choice(name, "activation", ACTIVATION_NAMES)
    if name == "softmax":
        raise ValueError(_SOFTMAX_HAS_A_JACOBIAN)
    if name not in _TEXTBOOK_RULES:
        raise ValueError(f"no textbook rule is written for the activation {name!r}; known: "
                         f"{', '.join(_TEXTBOOK_RULES)}")
    z = sp.Symbol("z", real=True)
    f = activation_expression(name, z)
    rule, rule_latex = _TEXTBOOK_RULES[name]
    return DerivativeCheck(name, (z,), f, rule(z, f), sp.diff(f, z), rule_latex)


def softmax_jacobian_derivative(k: int = 3) -> DerivativeCheck:
    """The softmax Jacobian ds_i/dz_j = s_i (delta_ij - s_j), checked against sympy.diff.

    Args:
        k: number of classes (>= 2).

    Returns:
        DerivativeCheck whose rule and diff are (k, k) Matrices: rule = diag(s) - s s^T.
    """
    k = check_positive_int(k, "k")
    if k < 2:
        raise ValueError(f"k must be at least 2 (the softmax of one class is always 1); "
                         f"got {k}")
    z = sp.symbols(f"z_1:{k + 1}", real=True)
    s = activation_expression("softmax", sp.Matrix(z))  # (k, 1)
    rule = sp.diag(*s) - s * s.T
    return DerivativeCheck(
        "softmax Jacobian", tuple(z), s, rule, s.jacobian(z),
        r"\frac{\partial s_i}{\partial z_j} = s_i\,(\delta_{ij} - s_j),"
        r"\quad J = \operatorname{diag}(s) - s\,s^{\mathsf{T}}",
    )


def _symbol_matrix(letter: str, n: int, k: int) -> sp.Matrix:
    """(n, k) Matrix of real symbols letter_{j} (n == 1) or letter_{i,j}."""
    def name(i, j):
        return f"{letter}_{{{j + 1}}}" if n == 1 else f"{letter}_{{{i + 1},{j + 1}}}"

    return sp.Matrix(n, k, lambda i, j: sp.Symbol(name(i, j), real=True))


def loss_derivative(name: str, n_samples: int = 1, n_outputs: int = 2) -> DerivativeCheck:
    """The gradient of a loss with respect to its input, checked against sympy.diff.

    Args:
        name: "mse": L = (1/n) sum 0.5 (p - y)^2, gradient (p - y) / n;
            "binary_cross_entropy": L = -(1/n) sum [y log p + (1 - y) log(1 - p)],
            gradient (p - y) / (p (1 - p)) / n;
            "binary_cross_entropy_with_logits": L = (1/n) sum [log(1 + e^z) - y z], gradient
            (sigmoid(z) - y) / n;
            "softmax_cross_entropy": L = -(1/n) sum y log softmax(z), gradient
            (softmax(z) - y) / n for labels y whose rows sum to 1 (the last label of each
            row is written as 1 minus the others, so the check proves it).
        n_samples, n_outputs: the shape (n, k) of the prediction.

    Returns:
        DerivativeCheck whose rule and diff are (n, k) Matrices.
    """
    check_choice(name, "loss", LOSS_NAMES)
    n = check_positive_int(n_samples, "n_samples")
    k = check_positive_int(n_outputs, "n_outputs")
    y = _symbol_matrix("y", n, k)
    if name == "mse":
        p = _symbol_matrix(r"\hat{y}", n, k)
        loss = _mean_loss(name, p, y)
        rule = (p - y) / n
        rule_latex = r"\frac{\partial L}{\partial \hat{y}} = \frac{\hat{y} - y}{n}"
        assumption = ""
    elif name == "binary_cross_entropy":
        p = _symbol_matrix("p", n, k)
        loss = _mean_loss(name, p, y)
        rule = sp.Matrix(n, k, lambda i, j: (p[i, j] - y[i, j]) / (p[i, j] * (1 - p[i, j]) * n))
        rule_latex = r"\frac{\partial L}{\partial p} = \frac{p - y}{n\,p\,(1 - p)}"
        assumption = ""
    elif name == "binary_cross_entropy_with_logits":
        p = _symbol_matrix("z", n, k)
        loss = _mean_loss(name, p, y)
        rule = sp.Matrix(n, k, lambda i, j: (sigmoid_expression(p[i, j]) - y[i, j]) / n)
        rule_latex = r"\frac{\partial L}{\partial z} = \frac{\sigma(z) - y}{n}"
        assumption = ""
    elif name == "softmax_cross_entropy":
        p = _symbol_matrix("z", n, k)
        last = {y[i, k - 1]: 1 - sum(y[i, j] for j in range(k - 1)) for i in range(n)}
        y = y.subs(last)  # each row of labels sums to 1
        s = sp.Matrix.vstack(*(activation_expression("softmax", p.row(i)) for i in range(n)))
        loss = -sum(y[i, j] * sp.log(s[i, j]) for i in range(n) for j in range(k)) / n
        rule = (s - y) / n
        rule_latex = (
            r"\frac{\partial L}{\partial z} = \frac{\operatorname{softmax}(z) - y}{n}"
        )
        assumption = "each row of labels y sums to 1"
    diff = sp.Matrix(n, k, lambda i, j: sp.diff(loss, p[i, j]))
    return DerivativeCheck(name, tuple(p), loss, rule, diff, rule_latex, assumption)


def sample_loss(name: str, prediction: list, target: list) -> sp.Expr:
    """One sample's loss, as helpers.losses computes it for n = 1.

    Args:
        name: "mse", "binary_cross_entropy", "binary_cross_entropy_with_logits" (on logits)
            or "softmax_cross_entropy" (on logits).
        prediction, target: lists of k sympy expressions (the network's output, the target).
    """
    check_choice(name, "loss", LOSS_NAMES)
    pairs = list(zip(prediction, target, strict=True))
    if name == "mse":
        return sum((p - t) ** 2 for p, t in pairs) / 2
    if name == "binary_cross_entropy":
        return -sum(t * sp.log(p) + (1 - t) * sp.log(1 - p) for p, t in pairs)
    if name == "binary_cross_entropy_with_logits":  # -[y log σ(z) + (1 - y) log(1 - σ(z))]
        return sum(sp.log(1 + sp.exp(p)) - t * p for p, t in pairs)
    if name == "softmax_cross_entropy":  # -sum y_j log softmax(z)_j
        log_total = sp.log(sum(sp.exp(p) for p in prediction))
        return -sum(t * (p - log_total) for p, t in pairs)
    raise ValueError(f"loss {name!r} has no symbolic form here; add it to sample_loss")


def _mean_loss(name: str, prediction: sp.Matrix, target: sp.Matrix) -> sp.Expr:
    """The loss of an (n, k) batch: the mean over its rows of the one-sample loss."""
    rows = range(prediction.rows)
    return sum(sample_loss(name, list(prediction.row(i)), list(target.row(i)))
               for i in rows) / prediction.rows


def all_derivative_checks() -> list[DerivativeCheck]:
    """Every activation derivative, the softmax Jacobian and every loss gradient."""
    checks = [activation_derivative(name) for name in _TEXTBOOK_RULES]
    checks.append(softmax_jacobian_derivative())
    checks += [loss_derivative(name) for name in LOSS_NAMES]
    return checks
