from __future__ import annotations

import numpy as np
import pytest
from datasketch import MinHash
from datasketch.lsh import _optimal_param

from lyceum.data.minhash import (
    EMPTY,
    band_keys,
    exact_hashes,
    minhash_texts,
    optimal_params,
    shingle_hashes,
    signatures,
)


def _datasketch_signature(hashes: np.ndarray, num_perm: int, seed: int = 1) -> np.ndarray:
    m = MinHash(num_perm=num_perm, seed=seed, hashfunc=int, scheme="affine32")
    if len(hashes):
        m.update_batch([int(h) for h in hashes])
    return m.hashvalues


@pytest.mark.parametrize("num_perm", [16, 128, 256])
def test_signatures_equal_datasketch_minhash_on_the_same_shingles(words, num_perm):
    texts = [" ".join(words.words(n)) for n in (0, 1, 3, 5, 6, 40, 300)] + ["", "¿¡!", "naïve café"]
    hashes, offsets = shingle_hashes(texts, shingle_size=5)
    ours = signatures(hashes, offsets, num_perm=num_perm)
    for i in range(len(texts)):
        expected = _datasketch_signature(hashes[offsets[i] : offsets[i + 1]], num_perm)
        assert np.array_equal(ours[i], expected), texts[i][:40]


def test_a_text_hashes_the_same_alone_and_inside_any_batch(words):
    texts = [" ".join(words.words(n)) for n in (50, 2, 80, 7)]
    together = minhash_texts(texts)
    for i, text in enumerate(texts):
        assert np.array_equal(minhash_texts([text])[0], together[i])


def test_shingles_never_span_two_texts():
    hashes, offsets = shingle_hashes(["a b c", "d e f"], shingle_size=2)
    assert list(np.diff(offsets)) == [2, 2]
    joined, _ = shingle_hashes(["a b c d e f"], shingle_size=2)
    assert len(set(joined.tolist()) - set(hashes.tolist())) == 1  # only "c d" is new


def test_tokens_ignore_case_and_punctuation():
    [a, b] = minhash_texts(["The quick, brown fox!", "the QUICK brown   fox"], shingle_size=2)
    assert np.array_equal(a, b)


def test_short_text_is_one_shingle_and_empty_text_has_none():
    hashes, offsets = shingle_hashes(["two words", "", "   ...  "], shingle_size=5)
    assert list(np.diff(offsets)) == [1, 0, 0]
    sigs = signatures(hashes, offsets, num_perm=8)
    assert np.all(sigs[1] == EMPTY) and np.all(sigs[2] == EMPTY)


@pytest.mark.parametrize(
    ("threshold", "num_perm"),
    [(0.3, 64), (0.5, 128), (0.7, 128), (0.8, 128), (0.85, 64), (0.9, 128), (0.95, 32), (0.8, 256)],
)
def test_lsh_parameters_equal_datasketch_choice(threshold, num_perm):
    assert optimal_params(threshold, num_perm) == _optimal_param(threshold, num_perm, 0.5, 0.5)


def test_band_keys_agree_exactly_when_band_values_agree():
    sigs = np.arange(24, dtype=np.uint32).reshape(2, 12)
    sigs[1, 4:8] = sigs[0, 4:8]
    keys = band_keys(sigs, bands=3, rows=4)
    assert list(keys[0] == keys[1]) == [False, True, False]
    with pytest.raises(ValueError, match="exceed"):
        band_keys(sigs, bands=4, rows=4)


def test_exact_hashes_ignore_case_and_whitespace_only():
    keys = exact_hashes(
        ["Hello  World\n", "hello world", " HELLO\tWORLD ", "hello, world", "helloworld", "", "  "]
    )
    assert keys[0] == keys[1] == keys[2]
    assert len({keys[0], keys[3], keys[4], keys[5]}) == 4
    assert keys[5] == keys[6]  # all blank texts are equal
