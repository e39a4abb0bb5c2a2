"""høring: the analysis library, one module per stage (see README)."""
