"""Checks for lesson 04 (Loss functions), also used in lesson 06 (Gradient checking).

``check_loss_gradient``: dL/d(prediction) of a loss averaged over the batch, for every loss
of ``helpers.losses.LOSSES``; the mistakes named here are a forgotten or doubled 1/n, a mean
over all n k entries (PyTorch's convention), a division by the size of a batch that was
repeated, the 0.5 of the squared error, a gradient taken with respect to the wrong quantity,
and a gradient from the logits computed through the clipped probability, which fades for
confidently wrong outputs. With ``h``, the answer is a central difference computed by hand
(lesson 06), and the mistakes of finite differences are named first: a one-sided difference,
a division by h instead of 2h, the difference of one sample's loss instead of the mean.
"""

from __future__ import annotations

import numpy as np

from .._validate import as_float_array, check_choice
from ..activations import get_activation, sigmoid, sigmoid_derivative
from ..gradcheck import TOLERANCE, forward_difference_gradient, numeric_gradient
from ..losses import LOSSES, binary_cross_entropy_gradient, get_loss
from .feedback import Feedback, _check
from .judging import _evaluate, _normal_like, _with_batch

__all__ = ["check_loss_gradient"]


def _period(prediction: np.ndarray, target: np.ndarray) -> int | None:
    """m when the rows of prediction and target are copies of their first m rows (a batch
    repeated n / m times, as np.tile makes it), for the smallest such m < n; else None."""
    n = prediction.shape[0]
    for m in range(1, n):
        if n % m == 0 and all(np.array_equal(a[m:], a[:-m]) for a in (prediction, target)):
            return m
    return None


def _difference_mistakes(loss, p, y, h: float, names) -> list:
    """Typical wrong central differences of the mean loss at p, for a step h."""
    n, pred = p.shape[0], names[0]

    def mean_loss(q):
        return loss.value(q, y)

    def one_sample(q):  # the loss of one sample, or the sum over the samples
        return loss.value(q, y) * n

    central = numeric_gradient(mean_loss, p, h)
    forward = forward_difference_gradient(mean_loss, p, h)
    return [
        (lambda: forward, f"that is a one-sided (forward) difference (L({pred} + h) - L({pred})) "
         "/ h, whose error shrinks only like h; nudge the entry down as well and divide "
         "L(up) - L(down) by 2h."),
        (lambda: 2 * central - forward, "that is a one-sided (backward) difference "
         f"(L({pred}) - L({pred} - h)) / h, whose error shrinks only like h; nudge the entry up "
         "as well and divide L(up) - L(down) by 2h."),
        (lambda: 2 * central, f"you divided by h; the two points {pred} + h and {pred} - h are "
         "2h apart: divide L(up) - L(down) by 2 * h."),
        (lambda: numeric_gradient(one_sample, p, h), "you took the difference of one sample's "
         f"loss (or of a sum over the samples); the loss is the mean over {_with_batch(n)}: "
         f"evaluate it on the whole nudged batch, as {loss.name}(up, {names[1]})."),
    ]


@_check
def check_loss_gradient(answer, loss_name: str, prediction, target, *, h=None,
                        names=("prediction", "target")) -> Feedback:
    """Check a loss gradient dL/d(prediction), for a loss averaged over the n samples.

    answer: array shaped like prediction, or a function f(prediction, target) returning it
    (then also tried at other predictions). loss_name: "mse" (L = mean of 0.5 * ||p - y||**2),
    "binary_cross_entropy" (prediction: probabilities), "binary_cross_entropy_with_logits"
    (prediction: logits; gradient (sigmoid(logits) - y) / n) or "softmax_cross_entropy"
    (prediction: logits (n, k); gradient (softmax(logits) - one_hot) / n).
    prediction: (n, k) (or (n,) for mse / bce); target: same shape, or labels (n,) for softmax.
    h: None, or the step of the central difference the answer was computed with by hand; it
    is still compared with the exact gradient, and the mistakes of finite differences are
    named first. names: the exercise's names for prediction and target, used in the messages.
    """
    loss = get_loss(check_choice(loss_name, "loss", LOSSES))
    prediction = as_float_array(prediction, "prediction")
    target = as_float_array(target, "target")
    loss.gradient(prediction, target)  # validates the problem data early
    n = prediction.shape[0]
    k = prediction.shape[1] if prediction.ndim == 2 else 1
    pred = names[0]
    period = _period(prediction, target)

    def mistakes(p, y):
        truth = loss.gradient(p, y)
        found = _difference_mistakes(loss, p, y, h, names) if h is not None else []
        found += [(lambda: truth * n, f"it is {n} times too large: the loss is the mean over "
                   f"{_with_batch(n)}, so divide by n."),
                  (lambda: truth / n, f"it is {n} times too small: you divided by n twice.")]
        if loss_name == "mse":
            found.append((lambda: 2 * truth, "it is twice too large: the 0.5 in the loss cancels "
                          "the 2 that comes down from the square."))
            if k > 1:
                found.append((lambda: 2 * truth / k, "that is PyTorch's MSELoss convention: no "
                              f"0.5 and a mean over all n k = {n * k} entries; the course's loss "
                              "has the 0.5 and averages over the n samples only: "
                              f"({pred} - {names[1]}) / n with n = {n}."))
        if k > 1:
            found.append((lambda: truth / k, f"you averaged over all n k = {n * k} entries; the "
                          f"loss adds up the k = {k} outputs of a sample and averages over the "
                          f"n = {n} samples only: divide by n."))
        if period is not None:
            found.append((lambda: truth * n / period, f"you divided by {period}; n is "
                          f"len({pred}) = {n}, not {period} (the batch repeats its first "
                          f"{period} rows {n // period} times, and every row is a sample)."))
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

    praise = ("Correct! Your central differences agree with the exact gradient: their relative "
              f"error is below TOLERANCE = {TOLERANCE:g}." if h is not None else "Correct!")
    return _evaluate(
        answer, "loss gradient", (prediction, target), tuple(names),
        truth=loss.gradient, mistakes=mistakes, sample=sample, praise=praise,
    )
