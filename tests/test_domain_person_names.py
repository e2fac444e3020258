"""same_person_name: is the name on a row the name stored for its NIK? Table-driven: pairs
that are one person written two ways, and pairs that are two people."""

from __future__ import annotations

import pytest

from pelatihan_cli.domain.names import person_name_words, same_person_name

SAME = [
    ("Siti Aminah", "SITI AMINAH"),                       # case
    ("Siti  Aminah ", "Siti Aminah"),                     # spaces
    ("Siti", "Siti Aminah"),                              # the words of one among the other's
    ("Siti Aminah", "Siti"),
    ("Hj. Siti Aminah", "Siti Aminah"),                   # titles
    ("H. Ahmad Fauzi", "Ahmad Fauzi"),
    ("Drs. Bambang Riyanto", "Bambang Riyanto"),
    ("Dra. Endang Lestari", "Endang Lestari, S.Pd."),
    ("Ir. Joko Widodo", "Joko Widodo"),
    ("Budi Santoso, S.Pd.", "Budi Santoso"),              # degrees
    ("Budi Santoso S.E.", "Budi Santoso"),
    ("Rina Wati, S.Kom", "Rina Wati"),
    ("Dewi Sartika, A.Md.", "Dewi Sartika"),
    ("Dewi Sartika, A. Md. Keb.", "Dewi Sartika"),
    ("Andi Pratama, S. Pd., M.Pd.", "Andi Pratama"),
    ("Ahmad bin Salim", "Ahmad Salim"),                   # bin / binti
    ("Aisyah binti Umar", "Aisyah Umar"),
    ("M. Ali", "Muhammad Ali"),                           # the Muhammad family
    ("Moh. Ridwan", "Muhammad Ridwan"),
    ("Moch. Rizki", "Mochammad Rizki"),
    ("Muh Yusuf", "Muhamad Yusuf"),
    ("Mohammad Iqbal", "Muhammad Iqbal"),
    ("Soekarno", "Sukarno"),                              # old spelling oe -> u
    ("Djoko Susilo", "Joko Susilo"),                      # dj -> j
    ("Tjahjono", "Cahyono"),                              # tj -> c (and the old j for y)
    ("Soedjono", "Sujono"),
    ("Abdul Rahman", "A. Rahman"),                        # an initial
    ("Nurhayati", "Nur Hayati"),                          # the same letters, a space moved
    ("Ma'ruf Amin", "Maruf Amin"),                        # apostrophe
    ("Zoë Pérez", "Zoe Perez"),                           # accents
    ("H. Moch. Soedjono bin Salim, S.Pd.", "Muhammad Sujono Salim"),
    ("Abdullah", "Abdulah"),                              # doubled letters
]

DIFFERENT = [
    ("Siti Aminah", "Siti Rahayu"),
    ("Budi Santoso", "Joko Susilo"),
    ("Budi Santoso", "Budi Susanto"),
    ("Ahmad Fauzi", "Ahmad Fauzan"),
    ("Dewi Lestari", "Dewi Sartika"),
    ("Muhammad Ali", "Muhammad Rizki"),
    ("Siti Aminah", "Aminah Rahayu"),
    ("Rina Wati", "Rini Wati"),
    ("Agus Salim", "Agus Setiawan"),
    ("Sri Wahyuni", "Sri Mulyani"),
    ("Eko Prasetyo", "Eka Prasetya"),
    ("Bambang", "Slamet"),
    ("Mei Lestari", "Lestari Wulandari"),                 # 'Mei' is a name here, not a degree
]


@pytest.mark.parametrize("a,b", SAME)
def test_one_person(a, b):
    assert same_person_name(a, b)
    assert same_person_name(b, a)


@pytest.mark.parametrize("a,b", DIFFERENT)
def test_two_people(a, b):
    assert not same_person_name(a, b)
    assert not same_person_name(b, a)


def test_tables_are_big_enough():
    assert len(SAME) >= 20 and len(DIFFERENT) >= 10


@pytest.mark.parametrize("name,words", [
    ("H. Moch. Soedjono bin Salim, S.Pd.", ("muhamad", "sujono", "salim")),
    ("Dra. Hj. Siti Aminah, S. Pd.", ("siti", "aminah")),
    ("Ir. Djoko Susilo, M.M.", ("joko", "susilo")),
    ("Mei Lestari", ("mei", "lestari")),
])
def test_words(name, words):
    assert person_name_words(name) == words


def test_a_name_of_only_titles_compares_as_typed():
    assert same_person_name("H.", "h.") and not same_person_name("H.", "Hj.")


def test_person_name_key_is_one_full_name():
    from pelatihan_cli.domain.names import person_name_key

    assert person_name_key("Hj. Siti Aminah") == person_name_key("SITI AMINAH, S.Pd.") == "sitiaminah"
    assert person_name_key("Tri") != person_name_key("Tri Wulandari")
