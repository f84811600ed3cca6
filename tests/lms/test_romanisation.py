"""Georgian names in Latin letters, as Georgian passports write them (no app needed)."""

import pytest

from lms.people.romanisation import romanise

#: The national system of 2002 without its apostrophes, letter by letter.
PASSPORT = {
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
MKHEDRULI = ''.join(PASSPORT)


def mtavruli(text):
    """The same letters as Mtavruli capitals (U+1C90..), which mirror Mkhedruli (U+10D0..)."""
    return ''.join(chr(ord(c) - 0x10D0 + 0x1C90) if 'ა' <= c <= 'ჿ' else c for c in text)


@pytest.mark.parametrize(
    ('georgian', 'latin'),
    [
        ('ნინო ბერიძე', 'Nino Beridze'),
        ('ქეთევან წიკლაური', 'Ketevan Tsiklauri'),
        ('გიორგი ჯავახიშვილი', 'Giorgi Javakhishvili'),
        ('ილია ჭავჭავაძე', 'Ilia Chavchavadze'),
        ('შალვა ღვინიაშვილი', 'Shalva Ghviniashvili'),
        ('თამარ ყიფიანი', 'Tamar Qipiani'),
        ('ნოე ჟორდანია', 'Noe Zhordania'),
        ('ხათუნა ცქიტიშვილი', 'Khatuna Tskitishvili'),
        ('ფიქრია ჰაიდარაძე', 'Pikria Haidaradze'),
    ],
)
def test_names_are_spelled_as_in_a_georgian_passport(georgian, latin):
    assert romanise(georgian) == latin


def test_every_modern_letter_has_its_passport_spelling():
    assert len(PASSPORT) == 33
    for letter, latin in PASSPORT.items():
        assert romanise(f'ა{letter}') == f'A{latin}', letter


def test_aspirated_and_ejective_consonants_fall_together_without_apostrophes():
    assert romanise('თ') == romanise('ტ') == 'T'
    assert romanise('ფ') == romanise('პ') == 'P'
    assert romanise('ქ') == romanise('კ') == 'K'
    assert romanise('ც') == romanise('წ') == 'Ts'
    assert romanise('ჩ') == romanise('ჭ') == 'Ch'
    assert "'" not in romanise(MKHEDRULI)


def test_mtavruli_capitals_spell_like_ordinary_letters():
    assert romanise(mtavruli('ნინო ბერიძე')) == 'Nino Beridze'
    assert romanise(mtavruli('ქეთევან წიკლაური')) == 'Ketevan Tsiklauri'
    assert romanise(mtavruli(MKHEDRULI)) == romanise(MKHEDRULI)


def test_a_name_mixing_mtavruli_and_mkhedruli_is_spelled_as_one():
    assert romanise(mtavruli('ნ') + 'ინო ' + mtavruli('ბ') + 'ერიძე') == 'Nino Beridze'


def test_each_part_of_a_double_name_starts_with_a_capital():
    assert romanise('ანა-მარია ბერიძე-ლომიძე') == 'Ana-Maria Beridze-Lomidze'


def test_latin_letters_and_digits_pass_through():
    assert romanise('John სმიტი 2') == 'John Smiti 2'
    assert romanise('McDonald') == 'McDonald'


def test_spaces_between_words_are_tidied():
    assert romanise('  ნინო \t  ბერიძე\n') == 'Nino Beridze'


def test_an_empty_name_stays_empty():
    assert romanise('') == ''
    assert romanise('   ') == ''
