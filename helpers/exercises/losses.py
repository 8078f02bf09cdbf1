"""Checks for lesson 04 (Loss functions), also used in lesson 06 (Gradient checking).

``check_loss_gradient``: dL/d(prediction) of a loss averaged over the batch, for every loss
of ``helpers.losses.LOSSES``; the mistakes named here are a forgotten or doubled 1/n, the 0.5
of the squared error, a gradient taken with respect to the wrong quantity, and a gradient from
the logits computed through the clipped probability, which fades for confidently wrong outputs.
"""

from __future__ import annotations

import numpy as np

from .._validate import as_float_array, check_choice
from ..activations import get_activation, sigmoid, sigmoid_derivative
from ..losses import LOSSES, binary_cross_entropy_gradient, get_loss
from .feedback import Feedback, _check
from .judging import _evaluate, _normal_like, _with_batch

__all__ = ["check_loss_gradient"]


@_check
def check_loss_gradient(answer, loss_name: str, prediction, target) -> Feedback:
    """Check a loss gradient dL/d(prediction), for a loss averaged over the n samples.

    answer: array shaped like prediction, or a function f(prediction, target) returning it
    (then also tried at other predictions). loss_name: "mse" (L = mean of 0.5 * ||p - y||**2),
    "binary_cross_entropy" (prediction: probabilities), "binary_cross_entropy_with_logits"
    (prediction: logits; gradient (sigmoid(logits) - y) / n) or "softmax_cross_entropy"
    (prediction: logits (n, k); gradient (softmax(logits) - one_hot) / n).
    prediction: (n, k) (or (n,) for mse / bce); target: same shape, or labels (n,) for softmax.
    """
    loss = get_loss(check_choice(loss_name, "loss", LOSSES))
    prediction = as_float_array(prediction, "prediction")
    target = as_float_array(target, "target")
    loss.gradient(prediction, target)  # validates the problem data early
    n = prediction.shape[0]

    def mistakes(p, y):
        truth = loss.gradient(p, y)
        found = [(lambda: truth * n, f"it is {n} times too large: the loss is the mean over "
                  f"{_with_batch(n)}, so divide by n."),
                 (lambda: truth / n, f"it is {n} times too small: you divided by n twice.")]
        if loss_name == "mse":
            found.append((lambda: 2 * truth, "it is twice too large: the 0.5 in the loss cancels "
                          "the 2 that comes down from the square."))
        elif loss_name == "binary_cross_entropy":
            yy = y.reshape(p.shape)
            found += [(lambda: (p - yy) / n, "that is the gradient with respect to the "
                       "pre-activation (sigmoid and loss together); with respect to the "
                       "probability p it is (p - y) / (p * (1 - p)) / n."),
                      (lambda: -(yy / p) / n, "you kept only the -y / p term; "
                       "-(1 - y) * log(1 - p) adds (1 - y) / (1 - p).")]
        elif loss_name == "binary_cross_entropy_with_logits":
            yy = y.reshape(p.shape)
            s = sigmoid(p)
            faded = ("it is far too small where sigmoid(z) is within 1e-12 of 0 or 1: you went "
                     "through the probability p = sigmoid(z), which binary_cross_entropy clips "
                     "to [1e-12, 1 - 1e-12], so p (1 - p) and 1 / (p (1 - p)) no longer cancel. "
                     "Compute (sigmoid(z) - y) / n from z directly.")
            found += [(lambda: sigmoid_derivative(p) * binary_cross_entropy_gradient(s, yy), faded),
                      (lambda: s * (1 - s) * binary_cross_entropy_gradient(s, yy), faded),
                      (lambda: (p - yy) / n, "you used the logits z as probabilities; apply the "
                       "sigmoid first: (sigmoid(z) - y) / n."),
                      (lambda: (s - yy) / (s * (1 - s)) / n, "that is the gradient with respect "
                       "to the probability p = sigmoid(z); with respect to z the factor "
                       "p (1 - p) cancels: (sigmoid(z) - y) / n."),
                      (lambda: s / n, "you forgot to subtract the target y.")]
        elif loss_name == "softmax_cross_entropy":
            onehot = y if y.ndim == 2 else np.eye(p.shape[1])[y.astype(int)]
            probs = get_activation("softmax").forward(p)
            found += [(lambda: (p - onehot) / n, "you used the logits; first turn them into "
                       "probabilities with softmax."),
                      (lambda: probs / n, "you forgot to subtract the one-hot target."),
                      (lambda: -onehot / probs / n, "that is the gradient with respect to the "
                       "probabilities; with respect to the logits it is "
                       "(softmax(logits) - one_hot) / n.")]
        return found

    def sample(rng):
        if loss_name == "binary_cross_entropy":
            return rng.uniform(0.05, 0.95, size=prediction.shape), target
        return _normal_like(rng, prediction, 2.0), target

    return _evaluate(
        answer, "loss gradient", (prediction, target), ("prediction", "target"),
        truth=loss.gradient, mistakes=mistakes, sample=sample,
    )
