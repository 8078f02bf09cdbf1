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
- ``activations`` (lesson 02): check_activation, check_elu;
- ``prediction`` (lessons 00, 01, any other): check_prediction, check_descent_step,
  check_parameter_count;
- ``graph`` (lesson 03): check_local_derivative, check_graph_gradient;
- ``engine``, ``engine_walk`` (lesson 03): check_backward_rule, check_engine_backward;
- ``losses`` (lessons 04, 06): check_loss_gradient, check_huber_gradient,
  check_weighted_logit_gradient, check_faded_entries;
- ``bug_hunt`` (lesson 06): check_bug_hunt;
- ``backward`` (lesson 05): check_dense_backward;
- ``layer_backward`` (lesson 05): check_gradient_shapes, check_activation_backward,
  check_two_layer_backward;
- ``training`` (lesson 07): check_update_count;
- ``training_loop`` (lesson 07): check_training_loop, with ``recording``, a network and a
  loss that note what the learner's loop does with them;
- ``cost`` (lesson 08): check_sigmoid_chain, check_residual_backward,
  check_difference_passes, check_first_layer_share;
- ``initialisation`` (lesson 09): check_layer_factor, check_gradient_scale,
  check_keeping_scale.
"""

from .activations import check_activation, check_elu
from .backward import check_dense_backward
from .bug_hunt import check_bug_hunt
from .cost import (
    check_difference_passes,
    check_first_layer_share,
    check_residual_backward,
    check_sigmoid_chain,
)
from .engine import check_backward_rule
from .engine_walk import check_engine_backward
from .feedback import Feedback
from .forward import check_pre_activation, check_two_layer_forward
from .graph import check_graph_gradient, check_local_derivative
from .initialisation import check_gradient_scale, check_keeping_scale, check_layer_factor
from .judging import ATOL, N_EXTRA_POINTS, RTOL, SHOW_AT_MOST
from .layer_backward import (
    check_activation_backward,
    check_gradient_shapes,
    check_two_layer_backward,
)
from .losses import (
    check_faded_entries,
    check_huber_gradient,
    check_loss_gradient,
    check_weighted_logit_gradient,
)
from .prediction import check_descent_step, check_parameter_count, check_prediction
from .training import check_update_count
from .training_loop import check_training_loop

__all__ = [
    "ATOL",
    "N_EXTRA_POINTS",
    "RTOL",
    "SHOW_AT_MOST",
    "Feedback",
    "check_activation",
    "check_activation_backward",
    "check_descent_step",
    "check_elu",
    "check_parameter_count",
    "check_prediction",
    "check_backward_rule",
    "check_bug_hunt",
    "check_faded_entries",
    "check_dense_backward",
    "check_difference_passes",
    "check_first_layer_share",
    "check_engine_backward",
    "check_gradient_scale",
    "check_gradient_shapes",
    "check_graph_gradient",
    "check_huber_gradient",
    "check_keeping_scale",
    "check_layer_factor",
    "check_local_derivative",
    "check_loss_gradient",
    "check_pre_activation",
    "check_residual_backward",
    "check_sigmoid_chain",
    "check_training_loop",
    "check_update_count",
    "check_two_layer_backward",
    "check_two_layer_forward",
    "check_weighted_logit_gradient",
]
