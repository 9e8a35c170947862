"""Searching and sorting Vietnamese names the way a Vietnamese reader expects, the same on every database.

Sorting follows the Vietnamese alphabet (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y):
letters first, then the tones (none, huyền, hỏi, ngã, sắc, nặng) as a tie-break, then capitals after small
letters. A search typed without diacritics finds names with them ("hai duong" finds "Hải Dương", "dong" finds
"Đông"); a letter typed with its diacritics must match exactly ("Hải" does not find "Hài").
"""

from __future__ import annotations

import functools
import unicodedata

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(ALPHABET)}
# Marks that make a letter of their own (ă â ê ô ơ ư) and the five tone marks, in dictionary order.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


@functools.lru_cache(maxsize=4096)
def _split(char: str) -> tuple[str, int]:
    """A character as (its letter without tone, lower case; its tone rank)."""
    decomposed = unicodedata.normalize("NFD", char.lower())
    base, marks = decomposed[:1], decomposed[1:]
    letter = unicodedata.normalize("NFC", base + "".join(m for m in marks if m in _LETTER_MARKS))
    tone = max((_TONE_RANK.get(m, 0) for m in marks), default=0)
    return letter, tone


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").split())


@functools.lru_cache(maxsize=16384)
def sort_key(text: str) -> tuple:
    """The key that puts names in Vietnamese alphabetical order (remembered: the board sorts the same names on
    every request)."""
    letters, tones, capitals = [], [], []
    for char in _clean(text):
        letter, tone = _split(char)
        if letter in _LETTER_RANK:
            letters.append((2, _LETTER_RANK[letter]))
        elif letter.isdigit():
            letters.append((1, int(letter) if letter.isdecimal() else ord(letter)))
        elif letter.isspace() or not letter.isalnum():
            letters.append((0, ord(letter)))
        else:
            letters.append((3, ord(letter)))
        tones.append(tone)
        capitals.append(char != char.lower())
    return tuple(letters), tuple(tones), tuple(capitals)


def fold(text: str) -> str:
    """Lower case without any diacritics (đ becomes d), one character for each character of the clean text."""
    return "".join(_fold_char(c) for c in _clean(text))


def _fold_char(char: str) -> str:
    base = unicodedata.normalize("NFD", char.lower())[:1]
    return "d" if base == "đ" else base


def matches(query: str, *texts: str) -> bool:
    """Whether the query appears in one of the texts; a letter typed without diacritics matches any."""
    query = _clean(query).lower()
    if not query:
        return True
    folded_query = fold(query)
    # Positions where the reviewer typed a diacritic (or đ): there the text must have the same letter.
    exact = [(i, c) for i, c in enumerate(query) if c != folded_query[i]]
    for text in texts:
        text = _clean(text).lower()
        folded = fold(text)
        start = folded.find(folded_query)
        while start != -1:
            if all(text[start + i] == c for i, c in exact):
                return True
            start = folded.find(folded_query, start + 1)
    return False
