from pipeline.ocr.metrics import cer, wer, word_f1


def test_convention_differences_are_not_errors():
    assert cer("CỘNG HOÀ  xã hội", "Cộng hòa xã hội") == 0.0
    assert wer("a b c", "a b c") == 0.0


def test_errors_are_counted():
    assert cer("abcd", "abed") == 0.25
    assert wer("một hai ba bốn", "một hai bà bốn") == 0.25
    assert cer("", "x") == 1.0 and cer("", "") == 0.0


def test_word_f1_ignores_order():
    assert word_f1("trái phải giữa", "giữa trái phải") == 1.0
    assert 0 < word_f1("a b c d", "a b x y") < 1
