from pelatihan_cli.domain.cells import formula_safe, xml_legal


def test_formula_like_text_is_quoted_numbers_are_not():
    for text in ("=SUM(A1)", "+62812", "-1+1", "@cmd", "\tx"):
        assert formula_safe(text) == "'" + text
    assert formula_safe("Siti") == "Siti"
    assert formula_safe(-5) == -5 and formula_safe(None) is None


def test_xml_illegal_characters_are_replaced():
    assert xml_legal("a\x00b\x1fc\td") == "a\ufffdb\ufffdc\td"


def test_csv_listing_keeps_negative_numbers_and_quotes_formula_text(capsys):
    from pelatihan_cli.cli._common import write_csv

    write_csv([{"n": -3, "t": "-3", "s": "=1+1"}], ["n", "t", "s"])
    assert capsys.readouterr().out == "n,t,s\n-3,'-3,'=1+1\n"
