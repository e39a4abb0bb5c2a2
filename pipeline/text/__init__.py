"""Norwegian text tools the stages share: one sentence splitter, the lexicon, keywords."""
