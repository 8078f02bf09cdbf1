"""Check functions for the lessons' exercises, lessons 00 to 09.

Every ``check_*`` function takes the learner's answer first, then the problem data. It compares
the answer with the truth and returns a :class:`Feedback`, which a notebook cell displays:

    ✓ Correct! ...
    ✗ Your dW has shape (3, 2) but should be (2, 3): you probably computed ...
    … Not done yet: ...

An answer may be a number, an array (or nested list) or a *function* that computes the answer
from the problem data. A function is called at the given inputs and at ``N_EXTRA_POINTS`` other
inputs of the same shapes, so an answer that is right at one point only is caught.
``None``, ``...`` or a function that returns ``None`` means "not done yet".

The checks never raise because of the learner's answer (a wrong type, a function that raises);
that becomes the message. Bad *problem data* (a mistake of the notebook's author) raises
``TypeError`` or ``ValueError`` as everywhere in ``helpers``.

Tolerance: an answer is right when it has the expected shape and every entry's relative error
|got - truth| / max(|got| + |truth|, 1e-3) is below ``helpers.gradcheck.TOLERANCE`` (see
``judging``).

The package has the judging engine, then the checks lesson by lesson:

- ``feedback``: the Feedback a check returns, and how a check stops early with one;
- ``answers``: reading an answer (number, array or function to call);
- ``judging``: comparing with the truth at several points and naming the mistake;
- ``forward`` (lessons 00, 01): check_pre_activation, check_two_layer_forward;
- ``activations`` (lesson 02): check_activation, check_activation_derivative;
- ``graph`` (lesson 03): check_local_derivative, check_chain_rule,
  check_graph_gradient;
- ``losses`` (lessons 04, 06): check_loss_gradient;
- ``backward`` (lessons 05 to 08): check_dense_backward, check_delta,
  check_backward_pass;
- ``training`` (lessons 00, 07): check_sgd_update;
- ``cost`` (lesson 08): check_layer_cost, check_backprop_cost, check_sigmoid_chain;
- ``initialisation`` (lesson 09): check_layer_factor, check_keeping_scale.
"""

from .activations import check_activation, check_activation_derivative
from .backward import check_backward_pass, check_delta, check_dense_backward
from .cost import check_backprop_cost, check_layer_cost, check_sigmoid_chain
from .feedback import Feedback
from .forward import check_pre_activation, check_two_layer_forward
from .graph import check_chain_rule, check_graph_gradient, check_local_derivative
from .initialisation import check_keeping_scale, check_layer_factor
from .judging import ATOL, N_EXTRA_POINTS, RTOL, SHOW_AT_MOST
from .losses import check_loss_gradient
from .training import check_sgd_update

__all__ = [
    "ATOL",
    "N_EXTRA_POINTS",
    "RTOL",
    "SHOW_AT_MOST",
    "Feedback",
    "check_activation",
    "check_activation_derivative",
    "check_backprop_cost",
    "check_backward_pass",
    "check_chain_rule",
    "check_delta",
    "check_dense_backward",
    "check_graph_gradient",
    "check_keeping_scale",
    "check_layer_cost",
    "check_layer_factor",
    "check_local_derivative",
    "check_loss_gradient",
    "check_pre_activation",
    "check_sigmoid_chain",
    "check_sgd_update",
    "check_two_layer_forward",
]
