"""Symbolic derivatives with sympy: the chain rule written out, checked against sympy.diff.

Five parts, each usable on its own, each taught in a lesson:

1. ``conversion``: a scalar ``Value`` graph as a sympy expression and back (``to_sympy``,
   ``from_sympy``), with the operations' sympy forms read from the one table of
   ``helpers.graph`` (``forms``). Lesson 03 (The chain rule on a graph).
2. ``chain_rule``: the chain rule one local derivative at a time along the graph
   (``chain_rule_gradient``, walking the ``nodes`` of a graph), compared with sympy's
   derivative of the whole expression (``expressions_equal``). Lesson 03.
3. ``derivations``: derivatives of every activation and loss of the course, each proven equal
   to sympy.diff (``activation_derivative``, ``softmax_jacobian_derivative``,
   ``loss_derivative``). Lessons 02 (Activation functions) and 04 (Loss functions).
4. ``networks`` and ``reports``: a small fully connected network written out entry by entry
   in symbols (``SymbolicNetwork``), whose gradients are compared side by side with the
   package's backward pass and with central differences (``SymbolicNetwork.compare``).
   Lesson 05 (Backpropagation).
5. ``sizes``: the size of the fully written-out derivative against the chain-rule form that
   reuses intermediate values (``expression_size_table``): why backprop stores the forward
   pass. Lesson 08 (Why backprop works at scale).

Needs sympy; ``import helpers`` alone does not load this package.
"""

from .chain_rule import (
    ChainRuleResult,
    LocalDerivative,
    assert_expressions_equal,
    chain_rule_gradient,
    derivative,
    expressions_equal,
)
from .conversion import from_sympy, to_sympy
from .derivations import (
    ACTIVATION_NAMES,
    LOSS_NAMES,
    DerivativeCheck,
    activation_derivative,
    activation_expression,
    all_derivative_checks,
    loss_derivative,
    softmax_jacobian_derivative,
)
from .forms import sigmoid_expression
from .networks import SymbolicNetwork
from .reports import GradientReport, GradientRow
from .sizes import SizeRow, expression_size_table, format_size_table

__all__ = [
    "ACTIVATION_NAMES",
    "LOSS_NAMES",
    "ChainRuleResult",
    "DerivativeCheck",
    "GradientReport",
    "GradientRow",
    "LocalDerivative",
    "SizeRow",
    "SymbolicNetwork",
    "activation_derivative",
    "activation_expression",
    "all_derivative_checks",
    "assert_expressions_equal",
    "chain_rule_gradient",
    "derivative",
    "expression_size_table",
    "expressions_equal",
    "format_size_table",
    "from_sympy",
    "loss_derivative",
    "sigmoid_expression",
    "softmax_jacobian_derivative",
    "to_sympy",
]
