"""Campaign letters: near-identical responses that many people send when an organisation mobilises.

Responses are compared by their word shingles (runs of ``SHINGLE`` words). MinHash with
locality-sensitive hashing (``datasketch``) finds candidate pairs, so a round of thousands of
responses is not compared pair by pair; a candidate pair is linked when most of the shorter
response's shingles are in the longer one (containment ≥ ``CONTAINMENT``): a signer who adds a
personal paragraph, drops one, or whose copy came through OCR, still signed the campaign. Each
connected group of two or more is a campaign. In themes and counts a campaign weighs as one voice;
how many signed it is reported beside.

Example:
    >>> find_campaigns({"a": text, "b": text_with_a_new_name, "c": other_text})  # doctest: +SKIP
    {'a': 'kampanje-1', 'b': 'kampanje-1'}
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from datasketch import MinHash, MinHashLSH

SHINGLE = 4  # words per shingle
CANDIDATE = 0.3  # estimated Jaccard similarity for a pair to be checked
CONTAINMENT = 0.5  # share of the shorter response's shingles found in the longer one
PERMUTATIONS = 128
MIN_SHINGLES = 30  # shorter responses are too short to call near-identical
WORD_RE = re.compile(r"[^\W\d_]+|\d+")


def shingles(text: str) -> set[str]:
    """The response's word shingles, lower case, punctuation and layout ignored."""
    words = WORD_RE.findall(text.lower())
    return {" ".join(words[i : i + SHINGLE]) for i in range(max(len(words) - SHINGLE + 1, 0))}


def containment(a: set[str], b: set[str]) -> float:
    """Share of the smaller set found in the other."""
    return len(a & b) / max(min(len(a), len(b)), 1)


def find_campaigns(texts: Mapping[str, str]) -> dict[str, str]:
    """Campaign id (``kampanje-1`` …) of each response in a campaign; responses in none are left out.

    Args:
        texts: cleaned text per response id.
    """
    lsh = MinHashLSH(threshold=CANDIDATE, num_perm=PERMUTATIONS)
    sets: dict[str, set[str]] = {}
    hashes: dict[str, MinHash] = {}
    for response_id in sorted(texts):
        found = shingles(texts[response_id])
        if len(found) < MIN_SHINGLES:
            continue
        m = MinHash(num_perm=PERMUTATIONS, seed=1)
        m.update_batch([s.encode("utf-8") for s in found])
        sets[response_id], hashes[response_id] = found, m
        lsh.insert(response_id, m)
    parent = {r: r for r in hashes}

    def root(r: str) -> str:
        while parent[r] != r:
            parent[r] = parent[parent[r]]
            r = parent[r]
        return r

    for response_id, m in hashes.items():
        for other in lsh.query(m):
            if other > response_id and containment(sets[response_id], sets[other]) >= CONTAINMENT:
                a, b = root(response_id), root(other)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    groups: dict[str, list[str]] = {}
    for r in sorted(hashes):
        groups.setdefault(root(r), []).append(r)
    campaigns = [members for members in groups.values() if len(members) > 1]
    campaigns.sort(key=lambda members: (-len(members), members[0]))
    return {r: f"kampanje-{k}" for k, members in enumerate(campaigns, start=1) for r in members}
