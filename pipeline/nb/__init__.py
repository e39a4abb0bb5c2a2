"""Norwegian language data as data: word lists, cues and a domain thesaurus the stages read.

Kept apart from the code that uses them, the way spaCy keeps ``lang/nb/``: a change of wording is a
change here, not in a stage module.
"""
