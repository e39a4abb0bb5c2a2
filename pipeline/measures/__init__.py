"""Measures: the plan's catalogue, and each comment linked to the measures it mentions (written codes,
implicit mentions, drift)."""
