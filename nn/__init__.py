"""Neural networks on top of ``autograd_core``, with PyTorch's names and shapes.

    import nn
    import nn.functional as F
    model = nn.MLP(2, [64, 64, 3])
    opt = nn.optim.Adam(model.parameters(), lr=0.01)
"""
from autograd_core import manual_seed

from . import data, functional, optim, scalar
from .io import load, save
from .layers import ELU, MLP, Conv2d, LeakyReLU, Linear, Maxout, ReLU, Sigmoid, Tanh
from .module import Module, Parameter, Sequential
from .rnn import RNN, GRUCell, LSTMCell, RNNCell
from .train import accuracy, fit, predict

__all__ = ["Module", "Parameter", "Sequential", "Linear", "MLP", "Conv2d", "ReLU", "Tanh", "Sigmoid",
           "LeakyReLU", "ELU", "Maxout", "RNNCell", "RNN", "LSTMCell", "GRUCell",
           "functional", "optim", "data", "scalar", "fit", "accuracy", "predict", "save", "load", "manual_seed"]
