"""Offline evaluation of the cross-sell ranking against simple baselines."""
