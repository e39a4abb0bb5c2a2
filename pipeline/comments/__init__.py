"""Comments: a cleaned response split into comments, its sender found, each comment's stance, campaign letters."""

from pipeline.comments.campaigns import find_campaigns
from pipeline.comments.segment import Comment, LeftOut, fallback_sender, segment_all, segment_response
from pipeline.comments.senders import Sender, find_sender
from pipeline.comments.stance import Stance, classify, classify_all

__all__ = [
    "Comment",
    "LeftOut",
    "Sender",
    "Stance",
    "classify",
    "classify_all",
    "fallback_sender",
    "find_campaigns",
    "find_sender",
    "segment_all",
    "segment_response",
]
