"""Tests of the checks of lesson 07 (Training with gradient descent): check_training_loop and
check_update_count. Right answers pass, each typical mistake is named in its own words, and
nothing the learner writes makes a check raise (except while grading, as it should)."""

import re
import time

import numpy as np
import pytest
from verdicts import assert_accepted, assert_not_done, assert_rejected

from helpers.exercises import check_training_loop, check_update_count
from helpers.exercises.feedback import AnswerNotAccepted
from helpers.exercises.training_loop import PROBLEMS
from helpers.losses import get_loss
from helpers.training import train

# --- learner loops, right and wrong -----------------------------------------------------------


def _shuffled(rng, n, epoch, seed):
    return rng.permutation(n)


def _loop(order=_shuffled, batches=None, grad=None, update=None, record=None, epochs_of=None,
          pair=None, seed_of=None):
    """A learner's train_loop; each argument swaps one part for a (possibly wrong) version.

    order(rng, n, epoch, seed) -> the epoch's row order; batches(order, n, batch_size) -> the
    list of batches; grad(g, rows, n) -> what goes to backward; update(p, lr) changes p;
    record(batch_losses, batch_rows, n, network, X, y, loss) -> the numbers of one epoch;
    epochs_of(epochs) -> the number of epochs run; pair(rows) -> the rows of y used;
    seed_of(seed) -> the seed the generator is made from.
    """

    def train_loop(network, X, y, loss, lr, epochs, batch_size, seed):
        n = len(X)
        rng = np.random.default_rng(seed if seed_of is None else seed_of(seed))
        history = []
        for epoch in range(epochs if epochs_of is None else epochs_of(epochs)):
            rows_in_order = order(rng, n, epoch, seed)
            parts = ([rows_in_order[s:s + batch_size] for s in range(0, n, batch_size)]
                     if batches is None else batches(rows_in_order, n, batch_size))
            losses, sizes = [], []
            for rows in parts:
                y_rows = rows if pair is None else pair(rows)
                prediction = network.forward(X[rows])
                losses.append(loss.value(prediction, y[y_rows]))
                sizes.append(len(rows))
                g = loss.gradient(prediction, y[y_rows])
                network.backward(g if grad is None else grad(g, rows, n))
                for p in network.parameters():
                    if update is None:
                        p.value[...] -= lr * p.grad
                    else:
                        update(p, lr)
            if record is None:
                history.append(sum(v * m for v, m in zip(losses, sizes, strict=True)) / n)
            else:
                history.extend(record(losses, sizes, n, network, X, y, loss))
        return history

    return train_loop


def solution(network, X, y, loss, lr, epochs, batch_size, seed):
    """The lesson's solution."""
    n = len(X)
    rng = np.random.default_rng(seed)
    history = []
    for _epoch in range(epochs):
        order = rng.permutation(n)
        total = 0.0
        for start in range(0, n, batch_size):
            rows = order[start:start + batch_size]
            prediction = network.forward(X[rows])
            total += loss.value(prediction, y[rows]) * len(rows)
            network.backward(loss.gradient(prediction, y[rows]))
            for p in network.parameters():
                p.value[...] -= lr * p.grad
        history.append(total / n)
    return history


def shuffled_copies(network, X, y, loss, lr, epochs, batch_size, seed):
    """Another right answer: shuffle copies of X and y, slice them, return an array."""
    rng = np.random.default_rng(seed)
    history = np.zeros(epochs)
    for epoch in range(epochs):
        index = np.arange(len(X))
        rng.shuffle(index)  # the same order as rng.permutation(n)
        X_epoch, y_epoch = X[index], y[index]
        for start in range(0, len(X), batch_size):
            X_batch, y_batch = X_epoch[start:start + batch_size], y_epoch[start:start + batch_size]
            prediction = network.forward(X_batch)
            value, gradient = loss.value_and_gradient(prediction, y_batch)
            history[epoch] += value * len(X_batch) / len(X)
            network.backward(gradient)
            for p in network.parameters():
                p.value[...] = p.value - lr * p.grad
    return history


# --- check_training_loop: right answers -------------------------------------------------------


@pytest.mark.parametrize("answer", [solution, shuffled_copies, _loop()])
def test_training_loop_right_answers_pass(answer):
    feedback = check_training_loop(answer)
    assert_accepted(feedback)
    assert "same losses and final weights as train" in feedback.message


def test_training_loop_problems_agree_with_train():
    # the check's problems: the solution and the package's train give one history
    for problem in PROBLEMS:
        X, y = problem.data()
        history = train(problem.network(), X, y, loss=problem.loss, lr=problem.lr,
                        epochs=problem.epochs, batch_size=problem.batch_size, rng=problem.seed)
        mine = solution(problem.network(), X, y, get_loss(problem.loss), problem.lr,
                        problem.epochs, problem.batch_size, problem.seed)
        assert np.allclose(history, mine, rtol=1e-12, atol=0)
        assert history[-1] < history[0]  # the problems are ones where the loss falls


def test_training_loop_is_fast():
    start = time.perf_counter()
    check_training_loop(solution)
    assert time.perf_counter() - start < 0.5


# --- check_training_loop: each mistake named ----------------------------------------------------


def _global_shuffle(rng, n, epoch, seed):
    return np.random.default_rng().permutation(n)  # a new unseeded generator every time


def _legacy_seeded(rng, n, epoch, seed):
    return np.random.RandomState(seed + epoch).permutation(n)  # reproducible, another way


_previous = {}


def _reshuffled(rng, n, epoch, seed):
    if epoch == 0:
        _previous["order"] = np.arange(n)
    rng.shuffle(_previous["order"])  # shuffles last epoch's order again
    return _previous["order"].copy()


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (_loop(order=lambda rng, n, e, s: np.arange(n)), ("never shuffled",)),
        (_loop(order=lambda rng, n, e, s: np.random.default_rng(s).permutation(n)),
         ("same order in every epoch", "inside the epoch loop")),
        (_loop(order=_global_shuffle), ("not reproducible", "seed = 7")),
        (_loop(seed_of=lambda seed: 0), ("ignores seed", "seed = 7 and seed = 8")),
        (_loop(order=_reshuffled), ("previous epoch's order again",)),
        (_loop(order=_legacy_seeded), ("another way", "epoch 1 should use the rows")),
    ],
)
def test_training_loop_names_each_shuffle_mistake(answer, words):
    assert_rejected(check_training_loop(answer), *words)


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (_loop(order=lambda rng, n, e, s: rng.integers(0, n, size=n)),
         ("skip or repeat rows", "never", "exactly once")),
        (_loop(batches=lambda o, n, b: [o[s:s + b] for s in range(0, n - n % b, b)]),
         ("dropped the last, smaller batch", "leave 2 rows over")),
        (_loop(batches=lambda o, n, b: [o]), ("used all 10 rows in every step",)),
        (_loop(epochs_of=lambda epochs: 1), ("ran one epoch only", "epochs = 3")),
        (_loop(batches=lambda o, n, b: [o[i:i + 1] for i in range(n)]),
         ("a step for every single row",)),
        (_loop(epochs_of=lambda epochs: epochs + 1), ("made 12 update steps", "= 9")),
        (_loop(batches=lambda o, n, b: np.array_split(o, -(-n // b))),
         ("batches of [4, 3, 3] rows", "[4, 4, 2]")),
    ],
)
def test_training_loop_names_each_batching_mistake(answer, words):
    assert_rejected(check_training_loop(answer), *words)


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (_loop(grad=lambda g, rows, n: g / len(rows)), ("divided by the batch's 4 rows again",)),
        (_loop(grad=lambda g, rows, n: g * len(rows)), ("is 4 times loss.gradient",)),
        (_loop(grad=lambda g, rows, n: g / n), ("divided by n = 10",)),
        (_loop(grad=lambda g, rows, n: g * len(rows) / n), ("scaled by rows / n",)),
        (_loop(grad=lambda g, rows, n: -g), ("not loss.gradient(prediction, y_batch)",
                                             "sign is flipped")),
        (_loop(pair=np.sort), ("out of step", "X[rows], y[rows]")),
    ],
)
def test_training_loop_names_each_gradient_mistake(answer, words):
    assert_rejected(check_training_loop(answer), "In step 1", *words)


def _rebind(p, lr):
    value = p.value
    value = value - lr * p.grad  # noqa: F841  (a new array: the network is left as it was)


def _only_weights(p, lr):
    if p.name == "W":
        p.value[...] -= lr * p.grad


def _assign_field(p, lr):
    p.value -= lr * p.grad  # a named tuple's field cannot be assigned


def _step_twice(p, lr):
    p.value[...] -= lr * p.grad
    p.value[...] -= 0.5 * lr * p.grad


@pytest.mark.parametrize(
    ("update", "words"),
    [
        (lambda p, lr: p.value.__iadd__(lr * p.grad), ("uphill", "loss goes up", " → ")),
        (_rebind, ("did not change the weights", "loss does not fall", "p.value[...]")),
        (lambda p, lr: p.value.__isub__(p.grad), ("forgot the learning rate",)),
        (lambda p, lr: p.value.__isub__(p.grad / lr), ("divided by the learning rate",)),
        (lambda p, lr: p.value.__isub__(lr * p.grad / 4), ("divided the step by the batch's 4",)),
        (lambda p, lr: p.value.__isub__(lr * p.grad * 4), ("multiplied the step by the batch's",)),
        (_only_weights, ("did not update layers[0] b, layers[2] b",)),
        (_step_twice, ("something other than -lr * p.grad",)),
        (_assign_field, ("raised AttributeError", "p.value[...] -= lr * p.grad")),
    ],
)
def test_training_loop_names_each_update_mistake(update, words):
    assert_rejected(check_training_loop(_loop(update=update)), *words)


def test_training_loop_uphill_shows_the_loss_rising():
    message = check_training_loop(_loop(update=lambda p, lr: p.value.__iadd__(lr * p.grad))).message
    text = message.split("The loss of each epoch: ")[1].split(". Gradient")[0]
    values = [float(v) for v in text.split(" → ")]
    assert values == sorted(values) and values[-1] > values[0]


def _per_batch(losses, sizes, n, *rest):
    return losses


def _unweighted(losses, sizes, n, *rest):
    return [sum(losses) / len(losses)]


def _summed(losses, sizes, n, *rest):
    return [sum(losses)]


def _not_divided(losses, sizes, n, *rest):
    return [sum(v * m for v, m in zip(losses, sizes, strict=True))]


def _after(losses, sizes, n, network, X, y, loss):
    return [loss.value(network.forward(X), y)]


@pytest.mark.parametrize(
    ("record", "words"),
    [
        (_per_batch, ("loss of every batch (9 numbers)", "one number per epoch (3)")),
        (_unweighted, ("plain mean of the batch losses", "only 2")),
        (_summed, ("added up the batch losses",)),
        (_not_divided, ("forgot to divide by n = 10",)),
        (lambda losses, *rest: [losses[-1]], ("only the last batch's loss",)),
        (lambda losses, *rest: [losses[0]], ("only the first batch's loss",)),
        (_after, ("on all rows after the epoch's updates", "before its update")),
        (lambda losses, *rest: [losses[0], losses[1]], ("returned 6 numbers", "3 in all")),
        (lambda losses, *rest: [0.5], ("list of epoch losses is not right yet", "expected")),
    ],
)
def test_training_loop_names_each_history_mistake(record, words):
    assert_rejected(check_training_loop(_loop(record=record)), *words)


def test_training_loop_history_of_the_wrong_shape_is_a_message():
    def two_d(*args):
        return np.array(solution(*args))[:, None]

    assert_rejected(check_training_loop(two_d), "shape (3, 1)", "list of 3 numbers")


def test_training_loop_messages_say_which_problem():
    feedback = check_training_loop(_loop(order=lambda rng, n, e, s: np.arange(n)))
    assert str(feedback).startswith("✗ On 10 rows in batches of 4 (3 steps per epoch), 3 "
                                       "epochs, lr = 0.1, seed = 7, loss mse:")


def test_training_loop_the_second_problem_catches_numbers_written_in():
    three_epochs = _loop(epochs_of=lambda epochs: 3)  # right for the first problem only
    assert_rejected(check_training_loop(three_epochs), "On 6 rows in one batch (batch_size = 8)",
                    "made 3 update steps")


def test_training_loop_calls_of_the_package_or_of_bce_are_named():
    def uses_train(network, X, y, loss, lr, epochs, batch_size, seed):
        return train(network, X, y, loss=loss, lr=lr, epochs=epochs, batch_size=batch_size,
                     rng=seed)

    def uses_bce(network, X, y, loss, lr, epochs, batch_size, seed):
        return bce.value(network.forward(X), y)  # noqa: F821

    assert_rejected(check_training_loop(uses_train), "calls the package's train")
    assert_rejected(check_training_loop(uses_bce), "uses bce", "its argument loss")


def test_training_loop_calls_that_are_missing_are_named():
    def no_backward(network, X, y, loss, lr, epochs, batch_size, seed):
        return [loss.value(network.forward(X), y)] * epochs

    def no_forward(network, X, y, loss, lr, epochs, batch_size, seed):
        return [1.0] * epochs

    def no_loss(network, X, y, loss, lr, epochs, batch_size, seed):
        for _ in range(epochs):
            prediction = network.forward(X)
            network.backward((prediction - y) / len(X))
        return [1.0] * epochs

    def changed_rows(network, X, y, loss, lr, epochs, batch_size, seed):
        return solution(network, (X - X.mean(axis=0)), y, loss, lr, epochs, batch_size, seed)

    assert_rejected(check_training_loop(no_backward), "never called network.backward")
    assert_rejected(check_training_loop(no_forward), "never called network.forward")
    assert_rejected(check_training_loop(no_loss), "never called loss.value or loss.gradient")
    assert_rejected(check_training_loop(changed_rows), "not rows of X")


# --- check_training_loop: not done, and answers of the wrong kind --------------------------------


def test_training_loop_not_done():
    def empty(network, X, y, loss, lr, epochs, batch_size, seed):
        ...  # YOUR CODE HERE

    for answer in (None, ..., empty):
        assert_not_done(check_training_loop(answer))


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (lambda *args: 1 / 0, ("raised ZeroDivisionError", "batch_size = 4")),
        (lambda *args: "done", ("the text 'done'",)),
        (lambda *args: (solution(*args), args[0]), ("got a tuple",)),
        (3, ("should be a function", "got 3")),
        ([0.5, 0.4], ("should be a function",)),
    ],
)
def test_training_loop_wrong_kinds_are_messages(answer, words):
    assert_rejected(check_training_loop(answer), *words)


def test_training_loop_under_grading(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(AnswerNotAccepted, match="never shuffled"):
        check_training_loop(_loop(order=lambda rng, n, e, s: np.arange(n)))
    with pytest.raises(AnswerNotAccepted, match="Not done yet"):
        check_training_loop(None)
    assert check_training_loop(solution).correct


# --- check_update_count ------------------------------------------------------------------------


@pytest.mark.parametrize("answer", [28, 28.0, np.int64(28)])
def test_update_count_right_answer_passes(answer):
    feedback = check_update_count(answer, n=200, batch_size=30, epochs=4)
    assert_accepted(feedback)
    assert "6 batches of 30 rows and one of 20" in feedback.message


def test_update_count_full_batch_and_exact_division():
    assert_accepted(check_update_count(5, n=10, batch_size=20, epochs=5))
    assert_accepted(check_update_count(15, n=10, batch_size=2, epochs=3))


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (24, "left out the last, smaller batch"),
        (4 * 200 / 30, "not a whole number of steps"),
        (26.67, "not a whole number of steps"),
        (7, "the steps of one epoch"),
        (4, "one step per epoch"),
        (800, "one step per row"),
        (30, "too many"),
        (20, "too few"),
        (26.5, "not a whole number"),
        ("28", "should be a number"),
        (True, "should be a number"),
        ([28], "should be a number"),
    ],
)
def test_update_count_names_each_mistake(answer, words):
    feedback = check_update_count(answer, n=200, batch_size=30, epochs=4)
    assert_rejected(feedback, words)
    assert "28" not in feedback.message.replace("'28'", "")  # a prediction: the truth is not told


def test_update_count_not_done():
    for answer in (None, ...):
        assert_not_done(check_update_count(answer, n=200, batch_size=30, epochs=4))


@pytest.mark.parametrize(("n", "batch_size", "epochs"), [(0, 30, 4), (200, -1, 4), (200, 30, 1.5),
                                                        (200, 30, "4")])
def test_update_count_bad_problem_data_raises(n, batch_size, epochs):
    with pytest.raises((TypeError, ValueError), match="n|batch_size|epochs"):
        check_update_count(28, n=n, batch_size=batch_size, epochs=epochs)


def test_update_count_under_grading(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(AnswerNotAccepted, match="left out the last"):
        check_update_count(24, n=200, batch_size=30, epochs=4)
    assert check_update_count(28, n=200, batch_size=30, epochs=4).correct


def test_update_count_matches_what_train_does():
    from helpers.network import build_network
    from helpers.training import SGD

    class Counting(SGD):
        steps = 0

        def step(self, network):
            Counting.steps += 1
            super().step(network)

    X = np.random.default_rng(0).normal(size=(23, 2))
    y = np.random.default_rng(1).normal(size=(23, 1))
    train(build_network([2, 1]), X, y, lr=0.01, optimizer=Counting(0.01), epochs=3, batch_size=5)
    assert check_update_count(Counting.steps, n=23, batch_size=5, epochs=3).correct


# --- the mistakes named in the second round ---------------------------------------------------


def test_training_loop_generator_inside_the_epoch_loop_shows_epoch_2():
    answer = _loop(order=lambda rng, n, e, s: np.random.default_rng(s).permutation(n))
    message = check_training_loop(answer).message
    assert "epoch 2 should use the rows in the order" in message
    wanted, got = (line.split("order")[-1].strip() for line in message.splitlines()[-2:])
    assert wanted != got  # the two orders shown differ


def test_training_loop_keeping_only_the_last_batch_is_named():
    def last_only(losses, sizes, n, *rest):  # total = ... in place of total += ...
        return [losses[-1] * sizes[-1] / n]

    assert_rejected(check_training_loop(_loop(record=last_only)),
                    "only the last batch's loss × rows was kept", "total += ")


def measured_after_update(network, X, y, loss, lr, epochs, batch_size, seed):
    n, rng, history = len(X), np.random.default_rng(seed), []
    for _epoch in range(epochs):
        order, total = rng.permutation(n), 0.0
        for start in range(0, n, batch_size):
            rows = order[start:start + batch_size]
            prediction = network.forward(X[rows])
            network.backward(loss.gradient(prediction, y[rows]))
            for p in network.parameters():
                p.value[...] -= lr * p.grad
            total += loss.value(network.forward(X[rows]), y[rows]) * len(rows)  # after the update
        history.append(total / n)
    return history


def test_training_loop_loss_measured_after_each_update_is_named():
    assert_rejected(check_training_loop(measured_after_update),
                    "measured each batch's loss after its update", "before its update")


def test_update_count_with_last_rows_right_answer_passes():
    feedback = check_update_count(15, n=200, batch_size=70, epochs=5, last_rows=60)
    assert_accepted(feedback)
    assert "The last batch has 60 rows" in feedback.message
    assert_accepted(check_update_count(4, n=12, batch_size=3, epochs=1, last_rows=3))


@pytest.mark.parametrize(
    ("last_rows", "words"),
    [
        (70, "a batch has at most 70 rows"),
        (3, "the number of batches in an epoch"),
        (200 / 70, "the number of batches (before rounding)"),
        (10, "lacks to be full"),
        (50, "Take away the rows of the full batches"),
        ("60", "should be a number"),
    ],
)
def test_update_count_names_each_last_rows_mistake(last_rows, words):
    feedback = check_update_count(15, n=200, batch_size=70, epochs=5, last_rows=last_rows)
    assert_rejected(feedback, words, "✓ n_updates is right")
    assert "60" not in feedback.message.replace("'60'", "")  # a prediction: the truth is not told


def test_update_count_with_last_rows_not_done_and_both_wrong():
    assert_not_done(check_update_count(None, n=200, batch_size=70, epochs=5, last_rows=None))
    assert_not_done(check_update_count(15, n=200, batch_size=70, epochs=5, last_rows=...))
    assert_rejected(check_update_count(14, n=200, batch_size=70, epochs=5, last_rows=70),
                    "n_updates", "last_rows = 70")


def test_update_count_with_last_rows_under_grading(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(AnswerNotAccepted, match="at most 70 rows"):
        check_update_count(15, n=200, batch_size=70, epochs=5, last_rows=70)
    assert check_update_count(15, n=200, batch_size=70, epochs=5, last_rows=60).correct


# --- the mistakes named in the third round ----------------------------------------------------


def _variant(mistake):
    """The solution with one mistake: the order drawn once, X and y re-indexed every epoch,
    batches weighted by batch_size, no backward, the whole y given to the loss, or the
    update after the batch loop."""

    def train_loop(network, X, y, loss, lr, epochs, batch_size, seed):
        n, rng, history = len(X), np.random.default_rng(seed), []
        once = rng.permutation(n) if mistake == "order once" else None
        for _epoch in range(epochs):
            order = once if mistake == "order once" else rng.permutation(n)
            if mistake == "reindex":
                X, y = X[order], y[order]
                order = np.arange(n)
            total = 0.0
            for start in range(0, n, batch_size):
                rows = order[start:start + batch_size]
                prediction = network.forward(X[rows])
                weight = batch_size if mistake == "batch_size" else len(rows)
                total += loss.value(prediction, y[rows]) * weight
                if mistake != "no backward":
                    target = y if mistake == "whole y" else y[rows]
                    network.backward(loss.gradient(prediction, target))
                if mistake != "update after":
                    for p in network.parameters():
                        p.value[...] -= lr * p.grad
            if mistake == "update after":
                for p in network.parameters():
                    p.value[...] -= lr * p.grad
            history.append(total / n)
        return history

    return train_loop


@pytest.mark.parametrize(
    ("mistake", "words"),
    [
        ("order once", ("same order in every epoch", "the order is drawn only once, before it")),
        ("reindex", ("previous epoch's order again", "X = X[order]")),
        ("batch_size", ("weighted every batch's loss by batch_size",
                        "the last batch has 2 rows, not batch_size = 4")),
        ("no backward", ("raised TypeError", "p.grad is None until network.backward(...) has run")),
        ("whole y", ("raised ValueError", "use the batch's targets, y[rows]")),
        ("update after", ("did not change the weights in step 1", "first change in step 3",
                          "Update after every batch, inside the batch loop")),
    ],
)
def test_training_loop_names_the_third_round_mistakes(mistake, words):
    feedback = check_training_loop(_variant(mistake))
    assert_rejected(feedback, *words)
    if mistake == "update after":
        assert "makes a new array" not in feedback.message
    if mistake == "order once":
        assert "you create the generator" not in feedback.message


def test_update_count_accepts_numpy_numbers_and_names_the_variables():
    assert_accepted(check_update_count(np.array(28), n=200, batch_size=30, epochs=4))
    assert_accepted(check_update_count(np.array([28]), n=200, batch_size=30, epochs=4))
    assert_accepted(check_update_count(np.array(15), n=200, batch_size=70, epochs=5,
                                       last_rows=np.array([60.0])))
    assert_rejected(check_update_count(np.array([28, 1]), n=200, batch_size=30, epochs=4),
                    "should be a number")
    assert_not_done(check_update_count(None, n=200, batch_size=30, epochs=4), "n_updates")


def _smallest(smallest_batch):
    return check_update_count(15, n=200, batch_size=70, epochs=5, last_rows=60,
                              smallest_batch=smallest_batch, steps=3)


def test_update_count_smallest_batch_right_answer_passes():
    feedback = _smallest(67)
    assert_accepted(feedback)
    assert "with 66 it takes 4" in feedback.message
    assert_accepted(_smallest(np.int64(67)))


@pytest.mark.parametrize(
    ("smallest_batch", "words"),
    [
        (66, ("takes 4 steps", "leave 2 over, which take 1 more step")),
        (200 / 3, ("not a whole number", "fits all 200 rows into 3 batches")),
        (99, ("does give 3 steps", "find the smallest")),
        (100, ("takes only 2 steps",)),
        (20, ("takes 10 steps", "7 more steps")),
        ("67", ("should be a number",)),
    ],
)
def test_update_count_names_each_smallest_batch_mistake(smallest_batch, words):
    feedback = _smallest(smallest_batch)
    assert_rejected(feedback, "smallest_batch", *words)
    told = re.search(r"(?<![\d.'])67(?![\d.'])", feedback.message)
    assert told is None  # a prediction: the truth is not told


def test_update_count_smallest_batch_not_done_bad_data_and_grading(monkeypatch):
    assert_not_done(_smallest(None), "smallest_batch")
    with pytest.raises(ValueError, match="steps"):
        check_update_count(15, n=200, batch_size=70, epochs=5, smallest_batch=67, steps=0)
    with pytest.raises(ValueError, match="steps"):
        check_update_count(15, n=200, batch_size=70, epochs=5, smallest_batch=67, steps=201)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(AnswerNotAccepted, match="takes 4 steps"):
        _smallest(66)
    assert _smallest(67).correct
