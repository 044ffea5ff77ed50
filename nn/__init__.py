"""Neural-network building blocks on top of ``autograd_core``."""
from . import scalar

__all__ = ["scalar"]
