"""Near-duplicate names: a new skill or kecamatan that is probably a typo of a stored one."""

from __future__ import annotations

import itertools

import pytest

from pelatihan_cli.domain.names import edit_distance, is_typo_of, near_duplicate, new_name_message

SKILLS = ["Merajut", "Kerajinan", "Desain Produk & Kemasan", "Buket", "Hantaran", "Roti & Masakan", "Tas"]
KECAMATAN = ["Pekalongan Barat", "Pekalongan Timur", "Pekalongan Utara", "Pekalongan Selatan"]


@pytest.mark.parametrize("a,b,d", [
    ("merajut", "merajut", 0), ("merajutt", "merajut", 1), ("buket", "bucket", 1),
    ("merjaut", "merajut", 1), ("pekalongantmur", "pekalongantimur", 1), ("", "abc", 3), ("roti", "kopi", 2),
])
def test_edit_distance(a, b, d):
    assert edit_distance(a, b) == d
    assert edit_distance(b, a) == d


@pytest.mark.parametrize("new,known,expected", [
    ("Merajutt", SKILLS, "Merajut"),           # a doubled letter
    ("Merjaut", SKILLS, "Merajut"),            # two letters swapped
    ("Merajt", SKILLS, "Merajut"),             # a missing letter
    ("Bucket", SKILLS, "Buket"),               # an added letter
    ("Kerajinann", SKILLS, "Kerajinan"),
    ("Desain Produk & Kemasn", SKILLS, "Desain Produk & Kemasan"),
    ("Roti dan Masakan", ["Roti & Masakann"], None),  # a whole word differs: a name of its own
    ("Pekalongan Tmur", KECAMATAN, "Pekalongan Timur"),
    ("Pekalongan Timurr", KECAMATAN, "Pekalongan Timur"),
    ("Pekalongan Selatn", KECAMATAN, "Pekalongan Selatan"),
])
def test_typos_are_flagged(new, known, expected):
    assert near_duplicate(new, known) == expected


@pytest.mark.parametrize("new,known", [
    ("merajut", SKILLS),                 # the same key: the stored skill, not a new one
    ("MERAJUT ", SKILLS),
    ("Pekalongan-Timur", KECAMATAN),
    ("pekalongan timur", KECAMATAN),
    ("Roti & Masakan", ["Kerajinan"]),
    ("Kerajinan", ["Roti & Masakan"]),
    ("Pekalongan Barat", ["Pekalongan Timur"]),   # both real kecamatan
    ("Pekalongan Timur", ["Pekalongan Barat", "Pekalongan Utara", "Pekalongan Selatan"]),
    ("Sablon Kaos", ["Sablon Tas"]),
    ("Batik", ["Membatik"]),
    ("Menjahit", SKILLS),
    ("Kopi", ["Roti"]),
    ("Tas", ["Tah"]),                     # too short to tell a typo from a word
    ("Batik Cap", ["Batik Tulis"]),
    ("Tata Boga", ["Tata Rias"]),
    ("Kecamatan 1", ["Kecamatan 0"]),      # numbers name things
    ("Blok 12", ["Blok 2"]),
])
def test_distinct_names_are_not_flagged(new, known):
    assert near_duplicate(new, known) is None


def test_bundled_names_are_distinct_from_each_other():
    # the real lists must import into an empty database without --new
    for a, b in itertools.permutations(SKILLS + KECAMATAN, 2):
        assert not is_typo_of(a, b), (a, b)


def test_closest_of_several_typos_wins():
    assert near_duplicate("Buket", ["Bukit", "Bucket"]) in ("Bukit", "Bucket")
    assert near_duplicate("Merajutt", ["Merajut", "Merajut2x"]) == "Merajut"


def test_message_names_the_fix():
    assert new_name_message("skill", "Merajutt", "Merajut") == (
        "skill 'Merajutt' is new; did you mean 'Merajut'? Add --new to create it.")


@pytest.mark.parametrize("name", ["Siti Aminah", "MA'RUF AMIN", "H. Moch. Soedjono bin Salim, S.Pd.", "O`Neil",
                                  "  Dewi   Sartika ", "A.R. Baswedan", "Nur-Hayati", "budi_2"])
def test_plain_ascii_names_as_the_unicode_path_has_them(name):
    """_plain takes a short way for ASCII names; it gives what the full normalisation gives."""
    import re
    import unicodedata

    from pelatihan_cli.domain.names import _plain

    full = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name).casefold())
    full = re.sub(r"['\u2019\u2018`\u02bc]", "", "".join(ch for ch in full if not unicodedata.combining(ch)))
    assert _plain(name) == full
