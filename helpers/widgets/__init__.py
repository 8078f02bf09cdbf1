"""Widgets for the lessons: step through forward and backward propagation, explore
activations and training.

Used in lessons 00 (Start here) and 03 (The chain rule on a graph): the graph stepper;
00, 01 (Forward propagation) and 05 (Backpropagation): the network stepper; 02 (Activation
functions): the activation explorer; 07 (Training with gradient descent): the training
explorer.

Each widget comes as two classes. The *state* (``GraphStepperState``,
``NetworkStepperState``, ``ActivationExplorerState``, ``TrainingExplorerState``) is plain
Python: the recorded steps, the current position and the transitions between them, plus
``draw(fig)`` for the picture. Tests drive it without a browser. The *view*
(``GraphStepper``, ``NetworkStepper``, ``ActivationExplorer``, ``TrainingExplorer``) is
thin: standard ipywidgets controls that call the state and redraw, placed above what
changes so that they never move.

The modules, in the order they build on each other:

- ``parser``: a typed expression such as ``"(x + y) * z"`` turned safely into a graph;
- ``graph_tools``: a graph's inputs, the graph at new input values, the graph as text;
- ``stepping``: the position among the steps and their pictures, shared by both steppers;
- ``graph_stepper``: ``GraphStepperState``;
- ``formulas``: formulas written once in LaTeX, and their plain text read from it;
- ``network_steps``: each step of the network stepper as one formula with its numbers;
- ``network_stepper``: ``NetworkStepperState``;
- ``explorers``: ``ActivationExplorerState``;
- ``training_explorer``: ``TrainingExplorerState``, a run played a chunk of epochs at a time;
- ``views``: the stepper views and what every view shares; ``explorer_views``: the explorer
  views (the only two modules that import ipywidgets).
"""

from .explorer_views import ActivationExplorer, TrainingExplorer
from .explorers import ActivationExplorerState
from .formulas import latex_to_text
from .graph_stepper import GraphStepperState
from .graph_tools import expression_text, input_leaves, recompute
from .network_stepper import NetworkStepperState
from .network_steps import NetworkStep
from .parser import ExpressionError, parse_expression
from .training_explorer import Snapshot, TrainingExplorerState
from .views import GraphStepper, NetworkStepper

__all__ = [
    "ActivationExplorer",
    "ActivationExplorerState",
    "ExpressionError",
    "GraphStepper",
    "GraphStepperState",
    "NetworkStep",
    "NetworkStepper",
    "NetworkStepperState",
    "Snapshot",
    "TrainingExplorer",
    "TrainingExplorerState",
    "expression_text",
    "input_leaves",
    "latex_to_text",
    "parse_expression",
    "recompute",
]
