"""``autograd-lite train --model cnn`` on the shipped digits: the accuracy the issue asks for
(seed 0), and a checkpoint that reloads into nn.ConvNet with the same predictions."""

from autograd_lite import data, nn
from autograd_lite.cli import main
from autograd_lite.nn.checkpoint import read_record
from autograd_lite.training import evaluate


def test_the_cnn_reaches_98_5_percent_and_its_checkpoint_predicts_the_same(tmp_path, capsys):
    out = tmp_path / "cnn"
    assert main(["train", "--model", "cnn", "--seed", "0", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "convolutional network 8x8" in printed and "40 epochs" in printed
    record = read_record(out / "model.npz")
    epoch, train_loss, train_accuracy, test_accuracy = record["metrics"]["rows"][-1]
    assert epoch == 40 and test_accuracy >= 0.985

    net = nn.ConvNet(8, 10, rng=1)  # other weights, until the checkpoint is loaded
    assert record["model"] == repr(net)
    nn.load(net, out / "model.npz")
    split, _ = data.standardize(data.train_test_split(*data.load_digits(), seed=0), False)
    assert evaluate(net, split.X_test, split.y_test)[1] == test_accuracy
    assert evaluate(net, split.X_train, split.y_train) == (train_loss, train_accuracy)
