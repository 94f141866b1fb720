"""Batch loading: one DataLoader per relation, and look-ahead for lists of objects."""
