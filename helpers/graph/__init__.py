"""A scalar computational graph: forward values and backward gradients by the chain rule.

Taught in lessons 01 (Forward propagation) and 03 (The chain rule on a graph). Three parts:

- ``operations``: the table of operations, each with its value, local derivatives and forms;
- ``value``: the node ``Value`` and its backward pass, a plain reverse-topological loop;
- ``steps``: the recorded forward and backward steps, as text and LaTeX, for the steppers.

Standard library only.
"""

from ..notation import format_number, latex_name
from .operations import (
    OPERATIONS,
    Operation,
    get_operation,
    register_operation,
    unregister_operation,
)
from .steps import BackwardStep, Contribution, ForwardStep, backward_steps, forward_steps
from .value import Value, apply_operation

__all__ = [
    "OPERATIONS", "BackwardStep", "Contribution", "ForwardStep", "Operation", "Value",
    "apply_operation", "backward_steps", "format_number", "forward_steps", "get_operation",
    "latex_name", "register_operation", "unregister_operation",
]
