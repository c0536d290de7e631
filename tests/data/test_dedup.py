from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from datasketch import MinHash, MinHashLSH

from lyceum.data.dedup import DedupConfig, deduplicate, deduplicate_file
from lyceum.data.executors import LocalExecutor
from lyceum.data.minhash import (
    candidate_probability,
    optimal_params,
    recall_params,
    shingle_hashes,
)
from lyceum.data.records import Record
from lyceum.data.stats import StepReport


def _dedup(tmp_path: Path, corpus, rows, config=None, **kwargs):
    src = corpus.write_jsonl(tmp_path / "in.jsonl", rows)
    out, clusters = tmp_path / "out.jsonl", tmp_path / "clusters.jsonl"
    summary = deduplicate_file(src, out, config, clusters_path=clusters, **kwargs)
    kept = [r["id"] for r in corpus.read_jsonl(out)]
    return summary, kept, corpus.read_jsonl(clusters)


def test_known_near_duplicates_are_removed_and_distinct_texts_kept(tmp_path, corpus, words):
    rows, expected = corpus.near_duplicate_corpus(words)
    summary, kept, clusters = _dedup(tmp_path, corpus, rows)
    assert set(kept) == {r["id"] for r in rows} - set(expected)
    removed_to_kept = {d["id"]: c["representative"] for c in clusters for d in c["duplicates"]}
    assert removed_to_kept == expected
    assert summary.exact_duplicates == sum(1 for k in expected if k.startswith("x"))
    assert summary.near_duplicates == sum(1 for k in expected if k.startswith("n"))
    assert summary.kept == len(kept)


def test_cluster_report_gives_kind_and_similarity(tmp_path, corpus, words):
    base = words.words(120)
    rows = [
        {"id": "a", "text": " ".join(base)},
        {"id": "b", "text": " ".join(corpus.near_duplicate(base, 2, words))},
        {"id": "c", "text": " ".join(base).upper()},
    ]
    _, kept, [cluster] = _dedup(tmp_path, corpus, rows)
    assert kept == ["a"] and cluster["representative"] == "a" and cluster["size"] == 3
    by_id = {d["id"]: d for d in cluster["duplicates"]}
    assert by_id["c"]["kind"] == "exact" and by_id["c"]["jaccard"] == 1.0
    true_j = corpus.jaccard_after_replacing(120, 2, 5)
    assert by_id["b"]["kind"] == "near" and abs(by_id["b"]["jaccard"] - true_j) < 0.1


def test_threshold_decides_which_pairs_merge(tmp_path, corpus, words):
    base = words.words(200)
    rows = [{"id": "a", "text": " ".join(base)}]
    rows.append({"id": "b", "text": " ".join(corpus.near_duplicate(base, 45, words))})  # J=0.62
    _, strict, _ = _dedup(tmp_path, corpus, rows, DedupConfig(threshold=0.8))
    _, loose, _ = _dedup(tmp_path, corpus, rows, DedupConfig(threshold=0.4))
    assert strict == ["a", "b"] and loose == ["a"]


def test_keep_longest_keeps_the_longest_member(tmp_path, corpus, words):
    base = words.words(100)
    rows = [
        {"id": "short", "text": " ".join(base)},
        {"id": "long", "text": " ".join(base) + " " + " ".join(base[-1:])},
    ]
    _, first, _ = _dedup(tmp_path, corpus, rows)
    _, longest, _ = _dedup(tmp_path, corpus, rows, DedupConfig(keep="longest"))
    assert first == ["short"] and longest == ["long"]


def test_exact_only_leaves_near_duplicates(tmp_path, corpus, words):
    rows, expected = corpus.near_duplicate_corpus(words, bases=10)
    summary, kept, _ = _dedup(tmp_path, corpus, rows, DedupConfig(near=False))
    assert summary.near_duplicates == 0
    assert set(kept) == {r["id"] for r in rows} - {k for k in expected if k.startswith("x")}


def test_two_worker_processes_give_the_same_result(tmp_path, corpus, words):
    rows, _ = corpus.near_duplicate_corpus(words, bases=30)
    config = DedupConfig(batch_size=16)
    one = _dedup(tmp_path, corpus, rows, config)
    two = _dedup(tmp_path, corpus, rows, config, executor=LocalExecutor(2))
    assert one[1] == two[1] and one[2] == two[2]


def test_kept_lines_are_copied_verbatim_and_ids_default_to_line_numbers(tmp_path, words):
    text = " ".join(words.words(30))
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"text": text, "extra": {"k": [1, 2]}})
        + "\n\n"
        + json.dumps({"text": text})
        + "\n"
    )
    out, clusters = tmp_path / "out.jsonl", tmp_path / "c.jsonl"
    deduplicate_file(src, out, clusters_path=clusters)
    assert out.read_text() == json.dumps({"text": text, "extra": {"k": [1, 2]}}) + "\n"
    [cluster] = [json.loads(line) for line in clusters.read_text().splitlines()]
    assert cluster["representative"] == "line:1" and cluster["duplicates"][0]["id"] == "line:2"


def test_stream_api_yields_survivors_in_order_and_reports_drops(words, tmp_path):
    base = words.words(60)
    records = [
        Record(id="1", text=" ".join(base), metadata={"k": 1}),
        Record(id="2", text=" ".join(words.words(60))),
        Record(id="3", text=" ".join(base)),
    ]
    report = StepReport("dedup")
    kept = list(deduplicate(records, report=report, workdir=tmp_path / "work"))
    assert [r.id for r in kept] == ["1", "2"] and kept[0].metadata == {"k": 1}
    stats = report.stats()
    assert stats.docs_in == 3 and stats.docs_out == 2
    assert stats.dropped == {"exact_duplicate": 1}
    assert not (tmp_path / "work" / "index").exists()  # spill files are removed


def test_bands_and_rows_must_come_together_and_fit():
    with pytest.raises(ValueError, match="both"):
        DedupConfig(bands=4)
    with pytest.raises(ValueError, match="exceeds"):
        DedupConfig(bands=20, rows=10, num_perm=128)


def _graded_corpus(corpus, words) -> list[dict]:
    """Chains and pairs across a range of similarities, so that LSH candidates near the
    threshold, failed verifications and transitive merges all occur."""
    rows = []
    for i in range(25):
        base = words.words(150)
        rows.append({"id": f"b{i}", "text": " ".join(base)})
        current = base
        for step, m in enumerate((4, 8, 12, 20, 35)[: 1 + i % 5]):
            current = (
                corpus.near_duplicate(current, m, words)
                if step % 2
                else (words.words(m) + current[m:])
            )
            rows.append({"id": f"b{i}v{step}", "text": " ".join(current)})
    return rows


def _datasketch_clusters(
    texts: list[str], threshold: float, num_perm: int, verify: bool, params: tuple[int, int]
):
    """The reference: datasketch MinHash + MinHashLSH with the same bands over the same
    shingle hashes, each document queried before insertion, joined with every candidate
    (that passes the estimated-Jaccard check when `verify`)."""
    hashes, offsets = shingle_hashes(texts, 5)
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, params=params)
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    sketches = []
    for i in range(len(texts)):
        m = MinHash(num_perm=num_perm, hashfunc=int)
        m.update_batch([int(h) for h in hashes[offsets[i] : offsets[i + 1]]])
        sketches.append(m)
        for c in lsh.query(m):
            if not verify or m.jaccard(sketches[c]) >= threshold:
                a, b = sorted((find(i), find(c)))
                parent[b] = a
        lsh.insert(i, m)
    groups: dict[int, set[int]] = {}
    for i in range(len(texts)):
        groups.setdefault(find(i), set()).add(i)
    return {frozenset(g) for g in groups.values() if len(g) > 1}


@pytest.mark.parametrize(
    ("threshold", "verify"), [(0.8, True), (0.8, False), (0.6, True), (0.5, False)]
)
def test_clusters_agree_with_datasketch_minhash_lsh(tmp_path, corpus, words, threshold, verify):
    rows = _graded_corpus(corpus, words)
    index_of = {r["id"]: i for i, r in enumerate(rows)}
    config = DedupConfig(threshold=threshold, exact=False, verify=verify, batch_size=32)
    _, _, clusters = _dedup(tmp_path, corpus, rows, config)
    ours = {
        frozenset([index_of[c["representative"]], *(index_of[d["id"]] for d in c["duplicates"])])
        for c in clusters
    }
    texts = [r["text"] for r in rows]
    reference = _datasketch_clusters(texts, threshold, 128, verify, config.lsh_params())
    assert len(reference) >= 10
    assert ours == reference


def test_copies_with_one_percent_of_words_changed_are_all_found_at_threshold_0_8(tmp_path):
    """Copies differing from each other in ~2 % of their words sit at a Jaccard similarity of
    about 0.81, just above the threshold; the balanced LSH bands found 58 of 60 of them."""
    rng = random.Random(7)
    vocabulary = [f"word{i}" for i in range(5000)]
    for trial in range(3):
        base = [rng.choice(vocabulary) for _ in range(300)]
        rows = []
        for c in range(60):
            words = list(base)
            for i in rng.sample(range(300), 3):
                words[i] = rng.choice(vocabulary)
            rows.append({"id": f"copy{c}", "text": " ".join(words)})
        src = tmp_path / f"copies{trial}.jsonl"
        src.write_text("".join(json.dumps(r) + "\n" for r in rows))
        summary = deduplicate_file(src, tmp_path / f"kept{trial}.jsonl", DedupConfig(threshold=0.8))
        assert (summary.kept, summary.near_duplicates) == (1, 59)


def test_recall_bands_make_a_pair_at_the_threshold_a_candidate_95_percent_of_the_time():
    for threshold in (0.5, 0.7, 0.8, 0.9):
        bands, rows = recall_params(threshold, 128)
        assert bands * rows <= 128
        assert candidate_probability(threshold, bands, rows) >= 0.95
    assert candidate_probability(0.8, *optimal_params(0.8, 128)) < 0.6
