"""Comments: a cleaned response split into comments, its sender found, each comment's stance, campaign letters."""
