from __future__ import annotations

import pytest

from lyceum.data.batching import batched, map_batches
from lyceum.data.minhash import exact_hashes


def test_batched_splits_into_fixed_size_lists():
    assert list(batched(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    with pytest.raises(ValueError, match="at least 1"):
        list(batched([1], 0))


def test_pool_results_come_back_in_input_order():
    batches = [[f"text {i}", f"other {i}"] for i in range(12)]
    expected = [exact_hashes(b).tolist() for b in batches]
    got = [r.tolist() for r in map_batches(exact_hashes, batches, workers=2)]
    assert got == expected


def test_pool_reads_at_most_two_batches_per_worker_ahead():
    pulled = 0

    def source():
        nonlocal pulled
        for i in range(100):
            pulled += 1
            yield [f"t{i}"]

    results = map_batches(exact_hashes, source(), workers=2)
    next(results)
    assert pulled <= 2 * 2 + 1
    results.close()
