from __future__ import annotations

from functools import partial

import pytest

from lyceum.data.dedup import DedupConfig, fingerprint_lines
from lyceum.data.executors import LocalExecutor, make_executor
from lyceum.errors import ConfigError


def test_local_executor_maps_batches_of_non_blank_lines_in_order(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text("".join(f'{{"id": "{i}", "text": "t {i}"}}\n\n' for i in range(10)))
    fn = partial(fingerprint_lines, config=DedupConfig())
    executor = LocalExecutor(2)
    try:
        first = [ids for ids, _ in executor.map_file(fn, path, batch_size=3)]
        again = [ids for ids, _ in executor.map_file(fn, path, batch_size=4)]  # same pool
    finally:
        executor.close()
    assert first == [["0", "1", "2"], ["3", "4", "5"], ["6", "7", "8"], ["9"]]
    assert [i for batch in again for i in batch] == [str(i) for i in range(10)]


def test_unknown_executor_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown executor"):
        make_executor("spark")
