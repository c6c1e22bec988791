"""Made-up but plausible names for the synthetic catalogue, in the scripts the sources use.

Each name is built from syllables in two forms at once: a Latin one (the
English name) and one in the place's own script (Cyrillic, Persian, Arabic,
Chinese, Japanese, Korean, Greek, Georgian, Armenian, Hebrew, Devanagari,
or a Latin alphabet with its own letters). Everything depends only on the
random generator handed in, so a seed always gives the same catalogue.
"""

# Consonants and vowels in Latin form -> the same sound in another script.
_CYRILLIC = {
    "b": "б", "v": "в", "g": "г", "d": "д", "z": "з", "k": "к", "l": "л", "m": "м", "n": "н", "p": "п",
    "r": "р", "s": "с", "t": "т", "f": "ф", "kh": "х", "ch": "ч", "sh": "ш", "zh": "ж",
    "a": "а", "o": "о", "u": "у", "e": "е", "i": "и", "y": "ы",
}
_PERSIAN = {
    "b": "ب", "p": "پ", "t": "ت", "s": "س", "j": "ج", "ch": "چ", "kh": "خ", "d": "د", "r": "ر", "z": "ز",
    "sh": "ش", "f": "ف", "q": "ق", "k": "ک", "g": "گ", "l": "ل", "m": "م", "n": "ن", "h": "ه", "v": "و",
    "a": "ا", "i": "ی", "u": "و", "e": "", "o": "",
}
_ARABIC = {**_PERSIAN, "p": "ب", "ch": "ش", "g": "ج", "k": "ك", "i": "ي"}
_GREEK = {
    "k": "κ", "l": "λ", "m": "μ", "n": "ν", "p": "π", "r": "ρ", "s": "σ", "t": "τ", "th": "θ", "d": "δ",
    "g": "γ", "v": "β", "z": "ζ", "x": "ξ", "f": "φ", "ch": "χ", "a": "α", "e": "ε", "i": "ι", "o": "ο", "y": "υ",
}
_GEORGIAN = {
    "t": "თ", "b": "ბ", "l": "ლ", "s": "ს", "k": "კ", "r": "რ", "m": "მ", "n": "ნ", "g": "გ", "d": "დ",
    "z": "ზ", "v": "ვ", "sh": "შ", "kh": "ხ", "ts": "ც", "ch": "ჩ", "p": "პ",
    "a": "ა", "i": "ი", "o": "ო", "u": "უ", "e": "ე",
}
_ARMENIAN = {
    "b": "բ", "g": "գ", "d": "դ", "z": "զ", "t": "տ", "l": "լ", "k": "կ", "h": "հ", "m": "մ", "y": "յ",
    "n": "ն", "sh": "շ", "ch": "չ", "p": "պ", "r": "ր", "s": "ս", "v": "վ",
    "a": "ա", "e": "ե", "i": "ի", "o": "ո", "u": "ու",
}
_HEBREW = {
    "b": "ב", "g": "ג", "d": "ד", "h": "ה", "v": "ו", "z": "ז", "kh": "ח", "t": "ת", "y": "י", "k": "כ",
    "l": "ל", "m": "מ", "n": "נ", "s": "ס", "p": "פ", "ts": "צ", "r": "ר", "sh": "ש",
    "a": "", "e": "", "i": "י", "o": "ו", "u": "ו",
}
# Whole syllables for scripts that write syllables.
_CHINESE = [
    ("哈", "ha"), ("尔", "er"), ("滨", "bin"), ("北", "bei"), ("京", "jing"), ("上", "shang"), ("海", "hai"),
    ("广", "guang"), ("州", "zhou"), ("南", "nan"), ("天", "tian"), ("津", "jin"), ("西", "xi"), ("安", "an"),
    ("长", "chang"), ("春", "chun"), ("大", "da"), ("连", "lian"), ("青", "qing"), ("岛", "dao"), ("武", "wu"),
    ("汉", "han"), ("成", "cheng"), ("都", "du"), ("杭", "hang"), ("宁", "ning"), ("波", "bo"), ("山", "shan"),
    ("江", "jiang"), ("河", "he"), ("东", "dong"), ("福", "fu"), ("龙", "long"), ("华", "hua"), ("阳", "yang"),
    ("石", "shi"), ("林", "lin"), ("平", "ping"), ("兴", "xing"), ("王", "wang"), ("李", "li"), ("张", "zhang"),
]
_JAPANESE = [
    ("か", "ka"), ("き", "ki"), ("く", "ku"), ("さ", "sa"), ("し", "shi"), ("た", "ta"), ("な", "na"), ("は", "ha"),
    ("ま", "ma"), ("や", "ya"), ("ら", "ra"), ("わ", "wa"), ("お", "o"), ("と", "to"), ("の", "no"), ("ひ", "hi"),
    ("み", "mi"), ("こ", "ko"), ("つ", "tsu"), ("せ", "se"), ("よ", "yo"), ("ふ", "fu"),
]
_KOREAN = [
    ("서", "seo"), ("울", "ul"), ("부", "bu"), ("산", "san"), ("대", "dae"), ("구", "gu"), ("인", "in"),
    ("천", "cheon"), ("광", "gwang"), ("주", "ju"), ("수", "su"), ("원", "won"), ("전", "jeon"), ("포", "po"),
    ("항", "hang"), ("강", "gang"), ("목", "mok"), ("양", "yang"), ("성", "seong"), ("김", "kim"), ("박", "park"),
]
_DEVANAGARI = [
    ("न", "na"), ("ग", "ga"), ("र", "ra"), ("पु", "pu"), ("म", "ma"), ("दि", "di"), ("ल", "la"), ("क", "ka"),
    ("ता", "ta"), ("बा", "ba"), ("द", "da"), ("स", "sa"), ("जा", "ja"), ("पा", "pa"), ("को", "ko"), ("ची", "chi"),
    ("वि", "vi"), ("शा", "sha"), ("हि", "hi"), ("मु", "mu"),
]

# Suffixes of place names: (Latin, native) per script or Latin-alphabet language.
_SUFFIXES = {
    "cyrillic": [("sk", "ск"), ("ovo", "ово"), ("ino", "ино"), ("grad", "град"), ("", "")],
    "persian": [("abad", "آباد"), ("shahr", "شهر"), ("", "")],
    "arabic": [("iya", "ية"), ("", "")],
    "greek": [("polis", "πολη"), ("", "")],
    "georgian": [("i", "ი"), ("eti", "ეთი")],
    "armenian": [("ashen", "աշեն"), ("avan", "ավան"), ("", "")],
    "hebrew": [("", "")],
    "chinese": [("", "")],
    "japanese": [("", "")],
    "korean": [("", "")],
    "devanagari": [("pur", "पुर"), ("nagar", "नगर"), ("abad", "आबाद"), ("", "")],
}
_LATIN_LANGUAGES = {
    # language: (suffixes, letters that a syllable may take on)
    "nb": (["vik", "dal", "berg", "fjord", "sund", "øy", "nes", "by", "heim", "stad"], {"o": "ø", "a": "å", "e": "æ"}),
    "sv": (["holm", "köping", "berg", "by", "stad", "vik", "å"], {"o": "ö", "a": "ä"}),
    "fi": (["järvi", "koski", "lahti", "niemi", "saari"], {"a": "ä", "o": "ö"}),
    "da": (["bjerg", "rup", "havn", "borg", "sted"], {"o": "ø", "a": "å"}),
    "de": (["burg", "stadt", "dorf", "heim", "bach", "hausen", "feld"], {"u": "ü", "o": "ö", "a": "ä"}),
    "fr": (["ville", "court", "mont", "bourg", "y"], {"e": "é", "a": "à"}),
    "es": (["dilla", "ena", "ares", "al", "osa"], {"n": "ñ", "a": "á", "o": "ó"}),
    "it": (["ano", "ino", "ello", "ia", "one"], {}),
    "pt": (["inho", "ão", "eira", "al"], {"a": "ã", "o": "ô"}),
    "pl": (["ów", "ice", "owo", "sk", "in"], {"l": "ł", "s": "ś", "z": "ż", "o": "ó"}),
    "cs": (["ice", "ov", "any", "ín"], {"c": "č", "r": "ř", "s": "š", "e": "ě"}),
    "tr": (["lar", "li", "köy", "ova", "şehir"], {"s": "ş", "g": "ğ", "i": "ı", "u": "ü"}),
    "nl": (["dam", "dorp", "wijk", "hoven", "burg"], {}),
    "en": (["ton", "ford", "field", "bury", "ham", "port", "ville"], {}),
    "vi": (["", ""], {"a": "ă", "o": "ơ", "u": "ư", "d": "đ"}),
    "id": (["jaya", "rejo", "sari", ""], {}),
    "lt": (["iai", "ai", "ys", "ė"], {"e": "ė", "s": "š", "z": "ž"}),
    "hu": (["háza", "vár", "egyháza", "falva"], {"o": "ő", "u": "ű", "a": "á"}),
    "ro": (["ești", "eni", "ani", "iu"], {"s": "ș", "t": "ț", "a": "ă"}),
}

# ISO code, English name of the country, language of its place names, script.
COUNTRIES = [
    ("NO", "nb", "latin"), ("SE", "sv", "latin"), ("FI", "fi", "latin"), ("DK", "da", "latin"),
    ("DE", "de", "latin"), ("FR", "fr", "latin"), ("ES", "es", "latin"), ("IT", "it", "latin"),
    ("PT", "pt", "latin"), ("PL", "pl", "latin"), ("CZ", "cs", "latin"), ("TR", "tr", "latin"),
    ("NL", "nl", "latin"), ("US", "en", "latin"), ("GB", "en", "latin"), ("CA", "en", "latin"),
    ("AU", "en", "latin"), ("BR", "pt", "latin"), ("MX", "es", "latin"), ("AR", "es", "latin"),
    ("VN", "vi", "latin"), ("ID", "id", "latin"), ("LT", "lt", "latin"), ("HU", "hu", "latin"),
    ("RO", "ro", "latin"), ("AT", "de", "latin"), ("CL", "es", "latin"), ("CO", "es", "latin"),
    ("RU", "ru", "cyrillic"), ("UA", "uk", "cyrillic"), ("BY", "be", "cyrillic"), ("KZ", "kk", "cyrillic"),
    ("BG", "bg", "cyrillic"), ("RS", "sr", "cyrillic"), ("KG", "ky", "cyrillic"), ("MN", "mn", "cyrillic"),
    ("IR", "fa", "persian"), ("AF", "fa", "persian"), ("TJ", "tg", "cyrillic"),
    ("EG", "ar", "arabic"), ("SA", "ar", "arabic"), ("MA", "ar", "arabic"), ("IQ", "ar", "arabic"),
    ("AE", "ar", "arabic"), ("JO", "ar", "arabic"), ("PK", "ur", "persian"),
    ("CN", "zh", "chinese"), ("TW", "zh", "chinese"), ("JP", "ja", "japanese"), ("KR", "ko", "korean"),
    ("GR", "el", "greek"), ("CY", "el", "greek"), ("GE", "ka", "georgian"), ("AM", "hy", "armenian"),
    ("IL", "he", "hebrew"), ("IN", "hi", "devanagari"), ("NP", "ne", "devanagari"),
]

_CONSONANTS = ["b", "d", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "sh", "kh", "ch"]
_VOWELS = ["a", "o", "u", "e", "i"]
_MAPS = {
    "cyrillic": _CYRILLIC, "persian": _PERSIAN, "arabic": _ARABIC, "greek": _GREEK, "georgian": _GEORGIAN,
    "armenian": _ARMENIAN, "hebrew": _HEBREW,
}
_SYLLABARIES = {"chinese": _CHINESE, "japanese": _JAPANESE, "korean": _KOREAN, "devanagari": _DEVANAGARI}


def _alphabetic(rng, mapping, syllables):
    """Latin and native forms of consonant-vowel syllables in an alphabet."""
    latin, native = [], []
    consonants = [c for c in _CONSONANTS if c in mapping]
    vowels = [v for v in _VOWELS if v in mapping]
    for _ in range(syllables):
        c, v = rng.choice(consonants), rng.choice(vowels)
        latin.append(c + v)
        native.append(mapping[c] + mapping[v])
    return "".join(latin), "".join(native)


def name(rng, language, script, syllables=None, suffix=True):
    """(Latin name, native name): Мурманск-like pairs; the native name is "" for English."""
    syllables = syllables or rng.choice((2, 2, 3))
    if script in _SYLLABARIES:
        pairs = [rng.choice(_SYLLABARIES[script]) for _ in range(syllables)]
        latin, native = "".join(p[1] for p in pairs), "".join(p[0] for p in pairs)
    elif script == "latin":
        latin, _ = _alphabetic(rng, {**{c: c for c in _CONSONANTS}, **{v: v for v in _VOWELS}}, syllables)
        suffixes, letters = _LATIN_LANGUAGES.get(language, _LATIN_LANGUAGES["en"])
        if suffix:
            latin += rng.choice(suffixes)
        # A Latin alphabet's own letters (Tromsø, Łódź) are the name itself; search folds them away.
        return "".join(letters.get(ch, ch) if rng.random() < 0.3 else ch for ch in latin).capitalize(), ""
    else:
        latin, native = _alphabetic(rng, _MAPS[script], syllables)
    if suffix:
        end_latin, end_native = rng.choice(_SUFFIXES[script])
        latin, native = latin + end_latin, native + end_native
    return latin.capitalize(), native


def person_name(rng, language, script):
    """(Latin full name, native full name)."""
    if script == "chinese" or script == "korean":
        family = name(rng, language, script, 1, suffix=False)
        given = name(rng, language, script, rng.choice((1, 2)), suffix=False)
        return f"{family[0]} {given[0]}", family[1] + given[1]
    given = name(rng, language, script, 2, suffix=False)
    family = name(rng, language, script, rng.choice((2, 3)), suffix=script not in ("latin",))
    native = f"{given[1]} {family[1]}".strip() if given[1] or family[1] else ""
    return f"{given[0]} {family[0]}", native


def misspelt(rng, text):
    """The name with two neighbouring letters swapped, as sources do ("Murmnask")."""
    if len(text) < 4:
        return text + text[-1]
    i = rng.randrange(1, len(text) - 2)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
