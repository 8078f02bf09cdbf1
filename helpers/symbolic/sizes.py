"""Why backprop stores the forward pass: the size of each gradient written out in full
against the chain-rule form that names every intermediate value once.

Taught in lesson 08 (Why backprop works at scale). ``expression_size_table`` counts the
operations (``sympy.count_ops``) for networks of growing depth; ``format_size_table`` prints
them.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .._validate import check_choice, check_positive_int
from ..notation import format_number
from .derivations import ACTIVATION_NAMES, LOSS_NAMES
from .networks import SymbolicNetwork

__all__ = ["SizeRow", "expression_size_table", "format_size_table"]


@dataclass
class SizeRow:
    """Operation counts (sympy.count_ops) for one network depth.

    Attributes:
        depth (int): number of Dense layers.
        expanded_ops (int): all gradients, each written out in full in x, y and parameters.
        chain_rule_ops (int): the backprop equations, every intermediate value named once.
        ratio (float): expanded_ops / chain_rule_ops.
        cse_ops (int): the expanded gradients after sympy.cse, which shares repeated
            sub-expressions automatically but does not find backprop's deltas.
    """

    depth: int
    expanded_ops: int
    chain_rule_ops: int
    ratio: float
    cse_ops: int = 0

    def __repr__(self) -> str:
        return (f"SizeRow(depth {self.depth}: expanded {self.expanded_ops} ops, chain rule "
                f"{self.chain_rule_ops} ops, ratio {format_number(self.ratio)}, "
                f"cse {self.cse_ops} ops)")


def expression_size_table(max_depth: int = 6, width: int = 2, *, activation: str = "tanh",
                          loss: str = "mse") -> list[SizeRow]:
    """Why backprop reuses the forward pass: formula sizes for networks of growing depth.

    For depth d = 1 .. max_depth, a chain of d Dense layers of ``width`` neurons (input
    width too), each followed by ``activation``, with ``loss``. The expanded count grows
    exponentially with depth; the chain-rule count only linearly.

    Returns:
        list[SizeRow], one per depth.
    """
    max_depth = check_positive_int(max_depth, "max_depth")
    width = check_positive_int(width, "width")
    check_choice(activation, "activation", ACTIVATION_NAMES)
    check_choice(loss, "loss", LOSS_NAMES)
    rows = []
    for depth in range(1, max_depth + 1):
        network = SymbolicNetwork([width] * (depth + 1), hidden=activation,
                                  output=activation, loss=loss)
        gradients = list(network.gradients.values())
        expanded = sum(sp.count_ops(g) for g in gradients)
        chain = sum(sp.count_ops(rhs) for _, rhs in network.backprop_equations())
        replacements, reduced = sp.cse(gradients)
        shared = sum(sp.count_ops(rhs) for _, rhs in replacements)
        shared += sum(sp.count_ops(g) for g in reduced)
        rows.append(SizeRow(depth, int(expanded), int(chain), expanded / chain, int(shared)))
    return rows


def format_size_table(rows: list[SizeRow]) -> str:
    """The rows of expression_size_table as a small text table."""
    lines = ["depth  expanded_ops  chain_rule_ops   ratio  cse_ops"]
    lines += [f"{r.depth:>5}  {r.expanded_ops:>12}  {r.chain_rule_ops:>14}  "
              f"{format_number(r.ratio):>6}  {r.cse_ops:>7}" for r in rows]
    return "\n".join(lines)
