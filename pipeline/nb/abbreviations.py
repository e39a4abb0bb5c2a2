"""Norwegian abbreviations that end in a full stop but do not end a sentence.

spaCy's ``nb`` tokenizer exceptions already hold the common ones (``bl.a.``, ``f.eks.``, ``jf.``,
``ca.``, ``St.``, ``nr.``); these are the ones hearing responses use that it lacks, in lower case.
:mod:`pipeline.text.sentences` adds each also capitalised (``Kap.``, ``Jf.``).
"""

ABBREVIATIONS: tuple[str, ...] = (
    "kap.", "pkt.", "avd.", "ref.", "vedr.", "iht.", "ift.", "mht.", "ifm.", "vha.", "pga.", "inkl.",
    "ekskl.", "ev.", "evt.", "ang.", "jfr.", "bl.a.", "m.a.", "o.a.", "m.fl.", "m.m.", "mv.", "o.l.",
    "dvs.", "d.v.s.", "t.o.m.", "f.o.m.", "t.d.", "t.ex.", "s.", "ff.", "nr.", "lnr.", "art.", "prp.",
    "innst.", "meld.", "st.meld.", "ot.prp.", "dok.", "sak.", "prop.", "red.anm.", "tlf.", "mob.", "adr.", "v.", "d.", "mill.",
    "mrd.", "kr.", "prof.", "dr.", "stud.", "sekr.", "pr.", "gj.snitt.", "årg.", "red.", "forts.",
    "ca.", "jf.", "f.eks.", "osv.", "o.s.v.", "etc.", "e.l.", "el.", "hhv.", "resp.", "sml.",
)

# Abbreviations that often close a sentence too («… tiltak, utstyr osv. Det …»).
SENTENCE_FINAL: frozenset[str] = frozenset({"osv.", "o.s.v.", "etc.", "m.m.", "mv.", "m.fl.", "kr.", "mill.", "mrd.", "o.l.", "e.l."})
