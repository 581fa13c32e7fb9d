"""Interprocedural taint tracking: per-function summaries, whole-program fixpoint, traces."""
