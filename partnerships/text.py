"""Folding text for search in any script."""

import re
import unicodedata

from anyascii import anyascii

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def fold(text):
    """Lowercase Latin letters and digits only: "Мурманск" → "murmansk", "Skjønnås" → "skjonnas".

    Text in any script is transliterated (anyascii), so a name is found by
    its own spelling or a Latin one; punctuation and accents drop out.
    """
    text = anyascii(unicodedata.normalize("NFKC", text or "")).lower()
    return " ".join(_NOT_ALNUM.split(text)).strip()
