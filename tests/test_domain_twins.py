"""domain.twins: which registered person a new row duplicates."""

from __future__ import annotations

from pelatihan_cli.domain import twins

B = "1990-07-02"


def test_the_first_registered_twin_is_named_then_the_chunks_own():
    """Registered before the chunk (in registration order) come first, then the chunk's
    earlier new people; never the row's own NIK; other birth dates or names are no twin."""
    entries = twins.keyed([
        (B, "Siti Aminah", "A1", None),              # 0: registered twin R1
        (B, "Siti Aminah", None, ("A1", "Siti Aminah")),
        (B, "SITI AMINAH, S.Pd.", "A2", None),       # 2: still R1 (registered first), not A1
        (B, "Siti Aminah", None, ("A2", "SITI AMINAH, S.Pd.")),
        (B, "Budi", "B1", None),                     # 4: no twin anywhere
        (B, "Budi", None, ("B1", "Budi")),
        (B, "Budi", "B2", None),                     # 6: the chunk's B1
        (B, "Siti", "S1", None),                     # 7: a shorter name is another key
        ("1990-07-03", "Siti Aminah", "C1", None),   # 8: another birth date
        (B, "Eko", "R9", None),                      # 9: the registered twin is its own NIK: the next one
    ])
    registered = {(B, "sitiaminah"): [("R1", "Hj. Siti Aminah"), ("R2", "Siti Aminah")],
                  (B, "eko"): [("R9", "Eko"), ("R10", "EKO")]}
    assert twins.wanted(entries) == [(B, "sitiaminah"), (B, "sitiaminah"), (B, "budi"), (B, "budi"), (B, "siti"),
                                     ("1990-07-03", "sitiaminah"), (B, "eko")]
    assert twins.match(entries, registered) == [(0, ("R1", "Hj. Siti Aminah")), (2, ("R1", "Hj. Siti Aminah")),
                                                (6, ("B1", "Budi")), (9, ("R10", "EKO"))]


def test_found_groups_rows_in_registration_order_and_keys_unkeyed_names():
    keyed_rows = [(5, B, "sitiaminah", "N5", "Siti Aminah"), (2, B, "sitiaminah", "N2", "Siti Aminah")]
    unkeyed_rows = [(3, B, "N3", "Hj. Siti Aminah"), (4, B, "N4", "Budi")]   # Budi was not asked for
    assert twins.found([(B, "sitiaminah")], keyed_rows, unkeyed_rows) == {
        (B, "sitiaminah"): [("N2", "Siti Aminah"), ("N3", "Hj. Siti Aminah"), ("N5", "Siti Aminah")]}
