"""Norwegian text tools the stages share: one sentence splitter, the lexicon, keywords."""

from pipeline.text.keywords import top_keywords
from pipeline.text.sentences import sentence_spans, sentences

__all__ = ["sentence_spans", "sentences", "top_keywords"]
