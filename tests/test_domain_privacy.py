from pelatihan_cli.domain.privacy import mask_birth_date, mask_nik, mask_phone


def test_mask_nik_keeps_region_and_serial():
    assert mask_nik("3375014107900001") == "337501******0001"
    assert mask_nik(None) is None


def test_mask_phone_hides_the_middle_groups_whatever_the_length():
    assert mask_phone("0812-3456-7890") == "0812-****-7890"
    assert mask_phone("0813-4567-291") == "0813-****-291"
    assert mask_phone("0812-3456-78901") == "0812-****-78901"
    assert mask_phone("081234567890") == "0812****7890"
    assert mask_phone("") == ""


def test_mask_birth_date_keeps_the_year():
    assert mask_birth_date("1990-07-02") == "1990-**-**"
