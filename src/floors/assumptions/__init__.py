"""Assumption files: load, validate and lay default → country → scenario → --set."""

from floors.assumptions.layers import load_parameters
from floors.assumptions.location import assumptions_root
from floors.assumptions.parameter import ParameterDef, Source
from floors.assumptions.parameter_set import Effective, ParameterSet, yearly_values

__all__ = [
    "Effective",
    "ParameterDef",
    "ParameterSet",
    "Source",
    "assumptions_root",
    "load_parameters",
    "yearly_values",
]
