"""Georgian to Latin script, as Georgian passports write names.

The national system of 2002 without its apostrophes: aspirated and ejective consonants
fall together (თ and ტ are both t). ნინო ბერიძე → Nino Beridze, ქეთევან წიკლაური →
Ketevan Tsiklauri.
"""

_LETTERS = {
    'ა': 'a',
    'ბ': 'b',
    'გ': 'g',
    'დ': 'd',
    'ე': 'e',
    'ვ': 'v',
    'ზ': 'z',
    'თ': 't',
    'ი': 'i',
    'კ': 'k',
    'ლ': 'l',
    'მ': 'm',
    'ნ': 'n',
    'ო': 'o',
    'პ': 'p',
    'ჟ': 'zh',
    'რ': 'r',
    'ს': 's',
    'ტ': 't',
    'უ': 'u',
    'ფ': 'p',
    'ქ': 'k',
    'ღ': 'gh',
    'ყ': 'q',
    'შ': 'sh',
    'ჩ': 'ch',
    'ც': 'ts',
    'ძ': 'dz',
    'წ': 'ts',
    'ჭ': 'ch',
    'ხ': 'kh',
    'ჯ': 'j',
    'ჰ': 'h',
}
# Mtavruli capitals (U+1C90..U+1CBF) mirror the Mkhedruli letters (U+10D0..U+10FF).
_MTAVRULI_OFFSET = 0x1C90 - 0x10D0


def romanise(text):
    """The Latin spelling of a Georgian text; each word starts with a capital letter.

    Characters that are not Georgian letters (Latin letters, hyphens, spaces) pass through.
    """
    words = []
    for word in text.split():
        latin = []
        for char in word:
            code = ord(char)
            if 0x1C90 <= code <= 0x1CBF:
                char = chr(code - _MTAVRULI_OFFSET)
            latin.append(_LETTERS.get(char, char))
        joined = ''.join(latin)
        words.append('-'.join(part[:1].upper() + part[1:] for part in joined.split('-')))
    return ' '.join(words)
