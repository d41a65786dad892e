import pytest

from app.core.errors import PassphraseMismatch, WeakPassphrase
from app.core.passphrase import assess, check_new, normalize


@pytest.mark.parametrize("weak", ["", "abc", "12345678", "password", "aaaaaaaaaaaa", "Mat Khau 123"[:6]])
def test_weak_passphrases_are_refused(weak):
    assert not assess(weak).acceptable
    with pytest.raises(WeakPassphrase):
        check_new(weak)


def test_longer_passphrases_rate_higher():
    assert assess("trau vang an co").level > assess("trauvang").level
    assert assess("trâu vàng ăn cỏ bên sông").level == 3


def test_mismatch_is_reported():
    with pytest.raises(PassphraseMismatch):
        check_new("trâu vàng ăn cỏ", "trâu vàng ăn có")


def test_composed_and_decomposed_vietnamese_are_the_same_passphrase():
    import unicodedata

    text = "Hồ Chí Minh mùa thu"
    assert normalize(unicodedata.normalize("NFD", text)) == normalize(text)
    assert check_new(unicodedata.normalize("NFD", text), text) == unicodedata.normalize("NFC", text)
