"""Skill tracks: a clerk's skill cell names one track, or the row is refused naming them."""

from __future__ import annotations

import pytest

from pelatihan_cli.domain.tracks import match_tracks, resolve_track, track_words
from pelatihan_cli.errors import ValidationError

TRACKS = ["Merajut", "Desain Produk & Kemasan", "Roti & Masakan", "Tas", "Hantaran", "Buket"]


@pytest.mark.parametrize("value,track", [
    ("Merajut", "Merajut"),
    ("MERAJUT", "Merajut"),
    (" merajut ", "Merajut"),
    ("Rajut", "Merajut"),                                   # a short form
    ("rajutan", "Merajut"),
    ("Desain Produk & Kemasan", "Desain Produk & Kemasan"),
    ("desain produk dan kemasan", "Desain Produk & Kemasan"),  # & / dan
    ("Desain Produk/Kemasan", "Desain Produk & Kemasan"),     # punctuation
    ("Desain Kemasan", "Desain Produk & Kemasan"),            # its words among the track's
    ("Kemasan", "Desain Produk & Kemasan"),
    ("Desain-Produk", "Desain Produk & Kemasan"),
    ("Roti", "Roti & Masakan"),
    ("Roti dan Masakan", "Roti & Masakan"),
    ("TAS", "Tas"),
    ("Buket.", "Buket"),
])
def test_one_track(value, track):
    assert match_tracks(value, TRACKS) == [track]
    assert resolve_track(value, TRACKS) == track


@pytest.mark.parametrize("value", [
    "Menjahit",            # no such track here
    "Merajutt",            # a typo is not guessed
    "Desain Baju",         # 'baju' is no word of the track
    "Kue",
    "Tas Rajut",           # words of two tracks
    "",
    "&",
])
def test_no_track(value):
    assert match_tracks(value, TRACKS) == []
    with pytest.raises(ValidationError, match="names none of the tracks") as e:
        resolve_track(value, TRACKS)
    assert "Buket, Desain Produk & Kemasan, Hantaran, Merajut, Roti & Masakan, Tas" in str(e.value)
    assert e.value.field == "skill"


def test_several_tracks_is_refused_naming_them():
    tracks = ["Roti & Masakan", "Roti & Kue", "Tas"]
    assert match_tracks("Roti", tracks) == ["Roti & Masakan", "Roti & Kue"]
    with pytest.raises(ValidationError, match="could be Roti & Kue or Roti & Masakan"):
        resolve_track("Roti", tracks, where=" in Medono")


def test_an_equal_track_wins_over_a_wider_one():
    assert match_tracks("Tas", ["Tas", "Merajut Tas"]) == ["Tas"]
    assert match_tracks("Rajut", ["Rajut", "Merajut Tas"]) == ["Rajut"]   # short forms on both sides


def test_words():
    assert track_words("Desain Produk & Kemasan") == {"desain", "produk", "kemasan"}
    assert track_words("Rajut") == track_words("Merajut") == {"merajut"}
