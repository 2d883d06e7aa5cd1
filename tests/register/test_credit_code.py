import pytest

from inspector_app.domain import credit_code
from inspector_app.domain.credit_code import CreditCodeError

# Published codes of real organisations (check character verified by hand against GB 32100-2015).
KNOWN_VALID = ["91350100M000100Y43", "91110000600037341L", "91440300708461136T"]


@pytest.mark.parametrize("code", KNOWN_VALID)
def test_real_codes_pass(code):
    assert credit_code.validate(code) == code


def test_lowercase_and_blanks_are_normalized():
    assert credit_code.validate(" 91350100m000100y43\u3000") == "91350100M000100Y43"


def test_wrong_check_character_says_what_it_should_be():
    with pytest.raises(CreditCodeError, match="校验位错误（应为3"):
        credit_code.validate("91350100M000100Y4X"[:17] + "X")


def test_wrong_length_is_reported():
    with pytest.raises(CreditCodeError, match="18位，实际为17位"):
        credit_code.validate("91350100M000100Y4")


@pytest.mark.parametrize("bad", ["I", "O", "Z", "S", "V"])
def test_letters_outside_the_alphabet_are_refused(bad):
    with pytest.raises(CreditCodeError, match="非法字符"):
        credit_code.validate("9135010" + bad + "M000100Y43")


def test_complete_produces_valid_codes():
    code = credit_code.complete("91440300MA5F00001")
    assert credit_code.is_valid(code)
