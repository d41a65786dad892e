import pytest

from app.core.errors import MalformedRecoveryKey
from app.core.recovery_key import ALPHABET, RecoveryKey


def test_formatted_key_has_nine_groups_of_four_and_parses_back():
    key = RecoveryKey.generate()
    text = key.formatted()
    groups = text.split("-")
    assert [len(g) for g in groups] == [4] * 9
    assert RecoveryKey.parse(text) == key
    assert RecoveryKey.parse(text.lower().replace("-", " ")) == key


def test_every_single_character_typo_is_caught():
    text = RecoveryKey.generate().formatted().replace("-", "")
    for position in range(len(text)):
        for replacement in ALPHABET:
            if replacement == text[position]:
                continue
            typo = text[:position] + replacement + text[position + 1:]
            with pytest.raises(MalformedRecoveryKey):
                RecoveryKey.parse(typo)


def test_swapped_neighbours_are_caught():
    caught = total = 0
    for _ in range(50):
        text = RecoveryKey.generate().formatted().replace("-", "")
        for i in range(len(text) - 1):
            if text[i] == text[i + 1]:
                continue
            total += 1
            swapped = text[:i] + text[i + 1] + text[i] + text[i + 2:]
            try:
                RecoveryKey.parse(swapped)
            except MalformedRecoveryKey:
                caught += 1
    assert caught / total > 0.95


def test_confusable_letters_are_read_as_digits():
    key = RecoveryKey("0" * 35)
    text = key.formatted().replace("0", "O")
    assert RecoveryKey.parse(text) == key


def test_wrong_length_and_foreign_characters_say_what_is_wrong():
    with pytest.raises(MalformedRecoveryKey, match="36"):
        RecoveryKey.parse("ABCD-EFGH")
    with pytest.raises(MalformedRecoveryKey) as info:
        RecoveryKey.parse("ĐĐĐĐ")
    assert "khóa khôi phục" in info.value.message.lower() or "recovery" in info.value.message.lower()
