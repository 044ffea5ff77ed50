"""Neural networks on top of ``autograd_core``, with PyTorch's names and shapes.

    import nn
    import nn.functional as F
    model = nn.MLP(2, [64, 64, 3])
    opt = nn.optim.Adam(model.parameters(), lr=0.01)
"""
from autograd_core import manual_seed

from . import data, functional, init, optim, scalar, utils
from .io import load, save
from .layers import (ELU, GELU, MLP, Conv1d, Conv2d, ConvTranspose2d, Dropout, Embedding, Flatten, Identity, LeakyReLU, Linear, LogSoftmax,
                     Maxout, ReLU, Sigmoid, SiLU, Softmax, Softplus, Tanh)
from .loss_modules import (BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, L1Loss, MSELoss,
                           MultiMarginLoss, NLLLoss)
from .module import Module, ModuleDict, ModuleList, Parameter, Sequential
from .norm import BatchNorm1d, BatchNorm2d, LayerNorm
from .pooling import AvgPool2d, MaxPool2d
from .rnn import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNCell
from .train import accuracy, fit, predict

__all__ = ["Module", "Parameter", "Sequential", "ModuleList", "ModuleDict", "Linear", "MLP", "Conv2d", "Conv1d",
           "ConvTranspose2d", "ReLU",
           "Tanh", "Sigmoid", "LeakyReLU", "ELU", "Maxout", "Identity", "Flatten", "Dropout", "Embedding", "GELU",
           "SiLU", "Softplus", "Softmax", "LogSoftmax", "LayerNorm", "BatchNorm1d", "BatchNorm2d", "MaxPool2d",
           "AvgPool2d", "CrossEntropyLoss", "NLLLoss", "MSELoss", "L1Loss", "HuberLoss", "BCELoss",
           "BCEWithLogitsLoss", "MultiMarginLoss", "RNNCell", "RNN", "LSTMCell", "GRUCell", "LSTM", "GRU",
           "functional", "optim", "data", "scalar", "utils", "init", "fit", "accuracy", "predict", "save", "load", "manual_seed"]
