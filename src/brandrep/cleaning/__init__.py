"""Raw figures and complaint shares -> validated, reconciled, sourced tables (notebook 01)."""

from brandrep.cleaning.build import (CleaningResult, build, check_file, clean, complaints_from, read_complaints,
                                     read_figures, write_outputs)
from brandrep.cleaning.reconcile import CountRange, counts_for_share

__all__ = ["CleaningResult", "CountRange", "build", "check_file", "clean", "complaints_from", "counts_for_share",
           "read_complaints", "read_figures", "write_outputs"]
