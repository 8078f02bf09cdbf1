"""Checks for lesson 04 (Loss functions), also used in lesson 06 (Gradient checking).

``check_loss_gradient``: dL/d(prediction) of a loss averaged over the batch, for every loss
of ``helpers.losses.LOSSES``; the mistakes named here are a forgotten or doubled 1/n, a mean
over all n k entries (PyTorch's convention), a division by the size of a batch that was
repeated, the 0.5 of the squared error, a gradient taken with respect to the wrong quantity,
and a gradient from the logits computed through the clipped probability, which fades for
confidently wrong outputs. With ``h``, the answer is a central difference computed by hand
(lesson 06), and the mistakes of finite differences are named first: a one-sided difference,
a division by h instead of 2h, one sample's loss instead of the mean, nudges never undone.
"""

from __future__ import annotations

import numpy as np

from .._validate import (
    as_float_array,
    check_choice,
    check_positive_float,
    check_unit_interval,
)
from ..activations import get_activation, sigmoid, sigmoid_derivative
from ..gradcheck import TOLERANCE, forward_difference_gradient, numeric_gradient
from ..losses import _PROBABILITY_CLIP, LOSSES, binary_cross_entropy_gradient, get_loss
from ..notation import format_number
from .answers import _describe, _is_missing
from .feedback import Feedback, _check, _correct, _not_done, _Stop, _wrong
from .judging import _errors, _evaluate, _normal_like, _with_batch

__all__ = [
    "check_faded_entries",
    "check_huber_gradient",
    "check_loss_gradient",
    "check_weighted_logit_gradient",
]


def _period(prediction: np.ndarray, target: np.ndarray) -> int | None:
    """m when the rows of prediction and target are copies of their first m rows (a batch
    repeated n / m times, as np.tile makes it), for the smallest such m < n; else None."""
    n = prediction.shape[0]
    for m in range(1, n):
        if n % m == 0 and all(np.array_equal(a[m:], a[:-m]) for a in (prediction, target)):
            return m
    return None


def _accumulated(loss, p, y, h: float) -> np.ndarray:
    """Central differences from a loop that copies p once, before it: the nudges add up."""
    result, up, down = np.zeros_like(p), p.copy(), p.copy()
    for index in np.ndindex(p.shape):
        up[index] += h
        down[index] -= h
        result[index] = (loss.value(up, y) - loss.value(down, y)) / (2 * h)
    return result


def _difference_mistakes(loss, p, y, h: float, names, h_name: str = "h") -> list:
    """Typical wrong central differences of the mean loss at p, for a step h (called h_name)."""
    n, pred, hn = p.shape[0], names[0], h_name
    two_h = "2h" if hn == "h" else f"2 * {hn}"
    nudged = (loss.value(p + h, y) - loss.value(p - h, y)) / (2 * h)  # all entries at once

    def mean_loss(q):
        return loss.value(q, y)

    def one_sample(q):  # the loss of one sample, or the sum over the samples
        return loss.value(q, y) * n

    central = numeric_gradient(mean_loss, p, h)
    forward = forward_difference_gradient(mean_loss, p, h)
    return [
        (lambda: forward, f"that is a one-sided (forward) difference (L({pred} + {hn}) - "
         f"L({pred})) / {hn}, whose error shrinks only like {hn}; nudge the entry down as well "
         f"and divide L(up) - L(down) by {two_h}."),
        (lambda: 2 * central - forward, "that is a one-sided (backward) difference "
         f"(L({pred}) - L({pred} - {hn})) / {hn}, whose error shrinks only like {hn}; nudge the "
         f"entry up as well and divide L(up) - L(down) by {two_h}."),
        (lambda: 2 * central, f"you divided by {hn}; the two points {pred} + {hn} and "
         f"{pred} - {hn} are {two_h} apart: divide L(up) - L(down) by 2 * {hn}."),
        (lambda: numeric_gradient(one_sample, p, h), "you took the difference of one sample's "
         f"loss (or of a sum over the samples); the loss is the mean over {_with_batch(n)}: "
         f"evaluate it on the whole nudged batch, as {loss.name}(up, {names[1]})."),
        (lambda: np.zeros_like(p), "it is all zeros: L(up) and L(down) came out equal. Did "
         f"you write up = {pred}? That makes up another name for {pred}, not a copy, so up and "
         "down are one array and the two nudges cancel."),
        (lambda: np.full_like(p, nudged), "every entry holds the same number: you nudged all "
         f"the entries of {pred} at once. Nudge one entry at a time, so that each difference "
         "measures the slope of that entry alone."),
        (lambda: _accumulated(loss, p, y, h), "you never undid the earlier nudges: up and down "
         f"were copied once, before the loop, so each difference also moves the entries nudged "
         f"before it. Make fresh copies of {pred} inside the loop, one pair per entry."),
    ] + [(lambda s=s: numeric_gradient(mean_loss, p, s), f"that is a central difference with "
          f"the step {s:g}, not {hn} = {h:g}: use the step the exercise gives.")
         for s in (1e-1, 1e-2, 1e-3, 1e-4) if s != h]


@_check
def check_loss_gradient(answer, loss_name: str, prediction, target, *, h=None,
                        names=("prediction", "target"), h_name: str = "h",
                        what: str | None = None) -> Feedback:
    """Check a loss gradient dL/d(prediction), for a loss averaged over the n samples.

    answer: array shaped like prediction, or a function f(prediction, target) returning it
    (then also tried at other predictions). loss_name: "mse" (L = mean of 0.5 * ||p - y||**2),
    "binary_cross_entropy" (prediction: probabilities), "binary_cross_entropy_with_logits"
    (prediction: logits; gradient (sigmoid(logits) - y) / n) or "softmax_cross_entropy"
    (prediction: logits (n, k); gradient (softmax(logits) - one_hot) / n).
    prediction: (n, k) (or (n,) for mse / bce); target: same shape, or labels (n,) for softmax.
    h: None, or the step of the central difference the answer was computed with by hand; it
    is still compared with the exact gradient, and the mistakes of finite differences are
    named first (a one-sided difference, a division by h, one sample's loss, no copy, all
    entries nudged at once, nudges never undone, another step). names: the exercise's names
    for prediction and target, and optionally for h as a third (or give h_name), used in the
    messages. what: the answer's name in them; by default "loss gradient", or "numeric" (the
    name of a central-difference gradient in lesson 06) when h is given.
    """
    if isinstance(names, str) or len(names) not in (2, 3):
        raise ValueError(f"names must be the names of prediction and target (and of h), e.g. "
                         f"('p', 'y'); got {names!r}")
    if len(names) == 3:
        names, h_name = tuple(names[:2]), names[2]
    what = what or ("numeric" if h is not None else "loss gradient")
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
        found = _difference_mistakes(loss, p, y, h, names, h_name) if h is not None else []
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

    praise = (f"Correct! Your {what} agrees with the exact gradient: the relative error is "
              f"below TOLERANCE = {TOLERANCE:g}." if h is not None else "Correct!")
    return _evaluate(
        answer, what, (prediction, target), tuple(names),
        truth=loss.gradient, mistakes=mistakes, sample=sample, praise=praise,
    )


# --- lesson 04: losses the lesson does not derive -----------------------------------------


def _matching(prediction, target, names) -> tuple[np.ndarray, np.ndarray]:
    """prediction and target as float arrays of one shape (problem data: raises early)."""
    prediction = as_float_array(prediction, names[0], ndim=(1, 2))
    target = as_float_array(target, names[1], ndim=(1, 2))
    if prediction.shape != target.shape:
        raise ValueError(f"{names[0]} {prediction.shape} and {names[1]} {target.shape} must have "
                         "the same shape")
    return prediction, target


def _other_rows(shape: tuple, drawn: list) -> tuple:
    """The shape of the next extra point's data (drawn: the points drawn so far): the first
    has 2 more rows, so that a batch size written in as a number shows; the others keep it."""
    drawn.append(shape)
    return (shape[0] + 2,) + tuple(shape[1:]) if len(drawn) == 1 else tuple(shape)


def _fixed_n(n0: int, n: int, name: str) -> str:
    """The message for a division by the given batch's n written in as a number."""
    return (f"you divided by {n0}, the batch size of the given inputs, written in as a number; "
            f"this {name} has {n} rows. Divide by len({name}): it must work for any batch.")


def huber_gradient(prediction, target):
    """dL/dprediction of the mean Huber loss with threshold 1,
    L = (1/n) sum_i sum_j huber(prediction_ij - target_ij), where huber(r) = r**2 / 2 for
    |r| <= 1 and |r| - 1/2 beyond: the residual clipped to [-1, 1], divided by n."""
    return np.clip(prediction - target, -1.0, 1.0) / len(prediction)


@_check
def check_huber_gradient(answer, prediction, target, *,
                         names=("prediction", "target")) -> Feedback:
    """Check dL/dprediction of the mean Huber loss with threshold 1 (see ``huber_gradient``).

    answer: array shaped like prediction, or a function f(prediction, target) returning it
    (then also tried at three other predictions, the first with 2 more rows). prediction,
    target: (n, k) or (n,), one shape. The mistakes named: the gradient of mean squared error
    or of the absolute error, slope +1 on both sides, a missing, extra or written-in 1/n, a
    mean over all n k entries, the 2 of the square kept, prediction and target swapped.
    """
    prediction, target = _matching(prediction, target, names)
    pred, targ = names
    n0 = len(prediction)
    k = prediction.shape[1] if prediction.ndim == 2 else 1

    def mistakes(p, y):
        r, truth, n = p - y, huber_gradient(p, y), len(p)
        found = [] if n == n0 else [(lambda: truth * n / n0, _fixed_n(n0, n, pred))]
        found += [
            (lambda: -truth, f"the sign is flipped: the residual is r = {pred} - {targ}, not "
             f"{targ} - {pred} (the loss is the same, its slope with respect to {pred} is not)."),
            (lambda: r / n, "that is the gradient of mean squared error, r / n, everywhere; "
             "beyond |r| = 1 the loss is |r| - 1/2, whose slope is +1 or -1, not r."),
            (lambda: np.sign(r) / n, "that is the gradient of the absolute error |r|, sign(r) / n, "
             "everywhere; where |r| <= 1 the loss is r**2 / 2, whose slope is r."),
            (lambda: np.where(np.abs(r) <= 1, r, 1.0) / n, "where r < -1 the slope of |r| - 1/2 "
             "is -1, not +1: |r| = -r there."),
            (lambda: 2 * truth, "it is twice too large: the 1/2 of r**2 / 2 cancels the 2 that "
             "comes down from the square, and beyond |r| = 1 the slope is +1 or -1."),
            (lambda: truth * n, f"it is {n} times too large: the loss is the mean over "
             f"{_with_batch(n)}, so divide by n."),
            (lambda: truth / n, f"it is {n} times too small: you divided by n twice."),
        ]
        if k > 1:
            found.append((lambda: truth / k, f"you averaged over all n k = {n * k} entries; the "
                          f"loss adds up the k = {k} outputs of a sample and averages over the "
                          f"n = {n} samples only: divide by n."))
        return found

    drawn = []

    def sample(rng):
        shape = _other_rows(target.shape, drawn)
        y = target if shape == target.shape else rng.normal(0.0, 1.0, size=shape)
        return y + rng.normal(0.0, 2.0, size=shape), y

    return _evaluate(answer, "Huber gradient", (prediction, target), tuple(names),
                     truth=huber_gradient, mistakes=mistakes, sample=sample)


def weighted_logit_gradient(z, y, pos_weight):
    """dL/dz of the mean binary cross-entropy from the logits z with weight pos_weight on the
    positive term, L = -(1/n) sum [pos_weight y log sigmoid(z) + (1 - y) log(1 - sigmoid(z))]:
    ((1 - y) sigmoid(z) - pos_weight y (1 - sigmoid(z))) / n."""
    s = sigmoid(z)
    return ((1.0 - y) * s - pos_weight * y * (1.0 - s)) / len(z)


@_check
def check_weighted_logit_gradient(answer, z, y, pos_weight: float, *,
                                  names=("z", "y")) -> Feedback:
    """Check dL/dz of binary cross-entropy from the logits with a weight on the positive term
    (see ``weighted_logit_gradient``).

    answer: array shaped like z, or a function f(z, y) returning it (then also tried at three
    other batches, the first with 2 more rows). z: logits (n, k) or (n,); y: targets in
    [0, 1], same shape; pos_weight: the weight (> 0, not 1). The mistakes named: the
    unweighted p - y, the weight on the whole gradient or on the negative term, a missing,
    extra or written-in 1/n, the sign flipped.
    """
    z, y = _matching(z, y, names)
    check_unit_interval(y, names[1])
    pos_weight = check_positive_float(pos_weight, "pos_weight")
    if pos_weight == 1.0:
        raise ValueError("pos_weight is 1; expected another weight (with 1 the loss is the "
                         "ordinary binary cross-entropy)")
    zn, yn = names
    n0, w = len(z), pos_weight

    def truth(z_, y_):
        return weighted_logit_gradient(z_, y_, w)

    def mistakes(z_, y_):
        s, right, n = sigmoid(z_), truth(z_, y_), len(z_)
        fixed = [] if n == n0 else [(lambda: right * n / n0, _fixed_n(n0, n, zn))]
        return fixed + [  # first the formulas right only for targets 0 and 1 (soft ones tell)
            (lambda: (1 + (w - 1) * y_) * (s - y_) / n, "your formula is right only for "
             f"targets 0 and 1: it weights the whole slope by 1 + (w - 1) {yn}, but for a soft "
             f"target, strictly between 0 and 1, both terms of the loss act and only the "
             f"{yn} log sigmoid({zn}) term carries the weight."),
            (lambda: np.where(y_ == 1, w * (s - y_), s - y_) / n, "your formula is right only "
             f"for targets 0 and 1: it picks the weight by testing {yn} == 1, but for a soft "
             f"target, strictly between 0 and 1, both terms of the loss act and only the "
             f"{yn} log sigmoid({zn}) term carries the weight."),
            (lambda: (s - y_) / n, "that is the gradient without the weight, (sigmoid(z) - y) / "
             "n; pos_weight multiplies the term y log sigmoid(z), so it multiplies that term's "
             "slope, -y (1 - sigmoid(z)), too."),
            (lambda: w * (s - y_) / n, "you multiplied the whole gradient by pos_weight; only "
             "the positive term, y log sigmoid(z), carries the weight, not (1 - y) log(1 - "
             "sigmoid(z))."),
            (lambda: (w * (1 - y_) * s - y_ * (1 - s)) / n, "you put the weight on the (1 - y) "
             "term; pos_weight weights the positive samples, the term y log sigmoid(z)."),
            (lambda: -right, f"the sign is flipped: the loss has a minus in front, and "
             f"d/d{zn} log sigmoid({zn}) = 1 - sigmoid({zn}) is positive."),
            (lambda: right * n, f"it is {n} times too large: the loss is the mean over "
             f"{_with_batch(n)}, so divide by n."),
            (lambda: right / n, f"it is {n} times too small: you divided by n twice."),
            (lambda: (-w * y_ / s + (1 - y_) / (1 - s)) / n, "you differentiated log "
             f"sigmoid({zn}) as 1 / sigmoid({zn}) (and log(1 - sigmoid) as -1 / (1 - sigmoid)): "
             f"that is the slope with respect to p = sigmoid({zn}). The chain rule still "
             f"multiplies it by dp/d{zn}."),
        ]

    drawn = []

    def sample(rng):  # soft targets too: the loss accepts any y in [0, 1]
        shape = _other_rows(z.shape, drawn)
        return rng.normal(0.0, 2.0, size=shape), rng.uniform(0.0, 1.0, size=shape)

    return _evaluate(answer, f"dL/d{zn}", (z, y), tuple(names), truth=truth,
                     mistakes=mistakes, sample=sample)


def through_probability(z, y):
    """dL/dz of binary cross-entropy computed in two pieces, as a network with a separate
    sigmoid layer does: sigmoid'(z) times binary_cross_entropy_gradient(sigmoid(z), y), whose
    probability is clipped to [1e-12, 1 - 1e-12]."""
    return sigmoid_derivative(z) * binary_cross_entropy_gradient(sigmoid(z), y)


def _entry_indices(answer, n: int, what: str) -> set[int]:
    """The learner's indices as a set of ints in range(n), or a _Stop saying what is wrong."""
    if _is_missing(answer):
        raise _Stop(_not_done(f"replace the None with your {what}, e.g. [0, 2], then run the "
                              "cell."))
    if isinstance(answer, int | np.integer) and not isinstance(answer, bool):
        answer = [answer]
    if isinstance(answer, str | bytes | dict) or not isinstance(answer, list | tuple | set
                                                                 | np.ndarray | range):
        raise _Stop(_wrong(f"Your {what} should be a list of indices such as [0, 2] (or [] "
                           f"for none); got {_describe(answer)}."))
    indices = set()
    for item in list(np.ravel(answer)) if isinstance(answer, np.ndarray) else list(answer):
        if _is_missing(item):
            raise _Stop(_not_done(f"your {what} still contains None or ...; put indices only."))
        if isinstance(item, bool) or not isinstance(item, int | np.integer | float | np.floating) \
                or float(item) != int(item):
            raise _Stop(_wrong(f"Your {what} should contain whole numbers (indices such as 0 or "
                               f"2); it contains {item!r}."))
        if not 0 <= int(item) < n:
            raise _Stop(_wrong(f"Your {what} contains the index {int(item)}, but there are only "
                               f"{n} entries, with indices 0 to {n - 1}."))
        indices.add(int(item))
    return indices


@_check
def check_faded_entries(answer, z, y, *, names=("z", "y")) -> Feedback:
    """Check a prediction: which entries of ``through_probability(z, y)`` are wrong, i.e. do
    not agree with the true dL/dz = (sigmoid(z) - y) / n by the course's test (relative error
    below TOLERANCE, entries near zero held to ATOL; see ``judging``).

    answer: the indices (a list, tuple or set of ints; [] for none) of the wrong entries.
    z: logits (n,) or (n, 1); y: targets in [0, 1], same shape. When the answer is wrong,
    the message says how many are missing and how many listed entries are right, and
    why each listed one is right (whether sigmoid(z) is clipped, and whether the sample is
    confidently right); it does not name the missing ones.
    """
    z, y = _matching(z, y, names)
    check_unit_interval(y, names[1])
    if z.ndim == 2 and z.shape[1] != 1:
        raise ValueError(f"{names[0]} has shape {z.shape}; expected one column, (n,) or (n, 1)")
    z, y = z.ravel(), y.ravel()
    n = len(z)
    colleague = through_probability(z, y)
    truth = (sigmoid(z) - y) / n
    wrong = {int(i) for i in np.flatnonzero(_errors(colleague, truth) >= TOLERANCE)}
    got = _entry_indices(answer, n, "list of wrong entries")
    if got == wrong:
        listed = ", ".join(map(str, sorted(wrong))) or "none"
        return _correct(f"Correct! The wrong entries are {listed}: there sigmoid(z) is within "
                        "1e-12 of the wrong end, the clip takes over and the gradient fades.")
    if got == {i + 1 for i in wrong}:
        return _wrong("Your list of wrong entries is the right one counted from 1; Python counts "
                      "from 0, so the first entry has index 0.")
    missing, extra = len(wrong - got), len(got - wrong)
    counts = [f"{k} wrong entr{'y is' if k == 1 else 'ies are'} missing" for k in [missing] if k]
    counts += [f"{k} of the entries you listed {'is' if k == 1 else 'are'} right" for k in
               [extra] if k]
    lines = [f"Your list of wrong entries is not right yet (you listed "
             f"{sorted(got) or 'none'}): {' and '.join(counts)}."]
    for i in sorted(got - wrong):
        lines.append(f"- entry {i} is right: {_why(z[i], y[i])}")
    if missing:
        lines.append("For the missing ones, ask of each entry you left out: is p = sigmoid(z) "
                     "within 1e-12 of 0 or 1, and is the target at the other end?")
    return _wrong("\n".join(lines))


def _why(z: float, y: float) -> str:
    """Why the entry (z, y) of through_probability is right, in a learner's words."""
    p = float(sigmoid(z))
    at = f"(z = {format_number(z)}, y = {format_number(y)})"
    clip = _PROBABILITY_CLIP
    if p < clip or 1 - p < clip:
        end, gap = ("0", p) if p < clip else ("1", 1 - p)
        return (f"{at} {'p' if end == '0' else '1 - p'} = {gap:.1e} is below 1e-12, so "
                "binary_cross_entropy_gradient clips p, but the sample is confidently right "
                f"(p near {end}, y = {format_number(y)}): there (p - y) / (p (1 - p)) is "
                "1 / (1 - p) for y = 0 and -1 / p for y = 1, about 1 in size whether p is "
                "clipped or not, so the product is still right.")
    near = f"1 - p = {1 - p:.1e}" if p > 0.5 else f"p = {p:.1e}"
    return (f"{at} p = sigmoid(z) is not within 1e-12 of 0 or 1 ({near}), so nothing is "
            "clipped and the two factors cancel as they should.")
