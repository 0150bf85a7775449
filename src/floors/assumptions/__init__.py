"""Assumption files: load, validate and lay default → country → scenario → --set."""

from floors.assumptions.layers import Effective, ParameterSet, load_parameters, yearly_values
from floors.assumptions.location import assumptions_root
from floors.assumptions.parameter import ParameterDef, Source

__all__ = [
    "Effective",
    "ParameterDef",
    "ParameterSet",
    "Source",
    "assumptions_root",
    "load_parameters",
    "yearly_values",
]
