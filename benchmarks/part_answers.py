"""Choose the bar at which another part's evidence answers a later part of the question.

    python benchmarks/part_answers.py --dev DEV.json --test TEST.json [--out F] | --markdown F

DEV.json and TEST.json are results of `benchmarks/research.py quality` (the dev split and
the test split); each report's `out_dir` holds its `state.json`. For every later part of a
question none of whose own evidence the report printed, the score the report's best
printed sentence gets for that part (`Relevance.part_scores`, as `answer.not_covered`
computes it, among sentences that carry the kind of answer the part asks for and name what
it names, and for an untyped part a word of its own) is set against
whether the part *is* answered by the report, judged outside the pipeline: a nugget of that
part found in a cited sentence, or a hand label naming it (the quality benchmark's
`answered`). An unanswerable part is never answered.

The bar is chosen on the dev reports: the lowest cost of wrong decisions, where an answered
part under the bar (declared not covered: the report understates itself) costs 1 and an
unanswered part at or over it (taken as answered: the report hides a gap, and its section
says another part's evidence answers it) costs `HIDDEN_GAP_COST`, ties going to the higher
bar; hiding a part the collection cannot answer at all costs `UNANSWERABLE_EXTRA_COST`
more. It is reported on the test reports, which did not choose. Results:
benchmarks/results/part_answers.json.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
from pathlib import Path
from typing import Any

import provenance

from lyceum.research.answer import DECLARED_REASON, could_answer, names_its_own_word, part_notes
from lyceum.research.citations import cited_sentences
from lyceum.research.named import focus_texts
from lyceum.research.relevance import Relevance, load_relevance
from lyceum.research.settings import ResearchSettings
from lyceum.research.state import ResearchState

ROOT = Path(__file__).parent
RESULTS = ROOT / "results" / "part_answers.json"
HIDDEN_GAP_COST = 2
"""The issue's target is every unanswerable part declared; a false declaration is not a
target, so a hidden gap weighs more."""
UNANSWERABLE_EXTRA_COST = 1
"""Added for a hidden gap the collection cannot fill at all (an unanswerable part): that
breaks the target itself. On the dev reports at 1dd233a the cost without it chose 0.17 for
`min_part_answer_elsewhere`, which takes "Is there a vaccine against malaria?" as answered
by a sentence on quinine resistance."""


async def part_rows(results: Path, relevance: Relevance) -> list[dict[str, Any]]:
    """One row per later part of every report, saying whether its own evidence is printed."""
    rows = []
    for report in json.loads(results.read_text())["questions"]:
        state = ResearchState.model_validate_json(
            (Path(report["out_dir"]) / "state.json").read_text()
        )
        # As the report judged its parts: with the sentences printed under a part it then
        # declared (`answer.drop_unanswering` drops them after the judgement).
        cited = cited_sentences(state) + [
            s
            for sec in state.sections
            for s in sec.sentences
            if (s.verdict or {}).get("reason") == DECLARED_REASON
        ]
        printed = {n for s in cited for n in s.notes}
        truth = report["parts"]
        for i in range(1, min(len(state.parts), len(truth))):
            own = part_notes(state, i)
            scores = await relevance.part_scores(focus_texts(state, cited), state.question, i)
            best = max(
                (
                    (score, s.text)
                    for s, score in zip(cited, scores, strict=True)
                    if could_answer(s.text, state.parts, i)
                    # Another part's evidence must name a word of an untyped part's own.
                    and (own & printed or names_its_own_word(s.text, state.parts, i, moved=False))
                ),
                default=(None, ""),
            )
            rows.append(
                {
                    "question": report["id"],
                    "part": truth[i]["text"],
                    "own_printed": bool(own & printed),
                    "answerable": truth[i]["answerable"],
                    "answered": truth[i]["answered"],
                    "best_score": None if best[0] is None else round(best[0], 3),
                    "best_sentence": best[1],
                }
            )
    return rows


def errors(rows: list[dict[str, Any]], bar: float) -> dict[str, int]:
    """Wrong decisions at `bar`: answered parts declared, unanswered parts taken as answered."""
    taken = [r["best_score"] is not None and r["best_score"] >= bar for r in rows]
    return {
        "answered_declared": sum(r["answered"] and not t for r, t in zip(rows, taken, strict=True)),
        "unanswered_taken": sum(not r["answered"] and t for r, t in zip(rows, taken, strict=True)),
        "unanswerable_taken": sum(
            not r["answerable"] and t for r, t in zip(rows, taken, strict=True)
        ),
    }


def choose(rows: list[dict[str, Any]]) -> float:
    """The bar of the lowest cost on `rows`, the higher one on a tie: midway between two
    neighbouring scores, so that no row sits on it."""
    scores = sorted({r["best_score"] for r in rows if r["best_score"] is not None})
    candidates = [round((a + b) / 2, 2) for a, b in itertools.pairwise(scores)]
    candidates = [scores[0] - 0.01, *candidates, scores[-1] + 0.01] if scores else [0.0]

    def wrong(bar: float) -> int:
        e = errors(rows, bar)
        return (
            e["answered_declared"]
            + HIDDEN_GAP_COST * e["unanswered_taken"]
            + UNANSWERABLE_EXTRA_COST * e["unanswerable_taken"]
        )

    return min(reversed(candidates), key=wrong)


async def run(dev: Path, test: Path) -> dict[str, Any]:
    relevance = load_relevance("minilm")
    rows = {"dev": await part_rows(dev, relevance), "test": await part_rows(test, relevance)}
    result: dict[str, Any] = {
        "runs": {
            split: {"results": str(path), "git": json.loads(path.read_text()).get("git")}
            for split, path in (("dev", dev), ("test", test))
        },
        "hidden_gap_cost": HIDDEN_GAP_COST,
    }
    # Two groups, two bars: `min_part_answer_elsewhere` for the parts none of whose own
    # evidence is printed, `min_part_answer` for the rest.
    for group, printed, setting in (
        ("elsewhere", False, "min_part_answer_elsewhere"),
        ("own", True, "min_part_answer"),
    ):
        split_rows = {k: [r for r in v if r["own_printed"] is printed] for k, v in rows.items()}
        bar = choose(split_rows["dev"])
        shipped = getattr(ResearchSettings(), setting)
        result[group] = {
            "setting": setting,
            "bar": bar,
            "shipped": shipped,
            **{
                split: {
                    "parts": len(r),
                    "errors_at_bar": errors(r, bar),
                    "errors_shipped": errors(r, shipped),
                    "errors_never_answered": errors(r, float("inf")),
                    "rows": r,
                }
                for split, r in split_rows.items()
            },
        }
    return result


def markdown(result: dict[str, Any]) -> str:
    lines = [
        "| parts | setting (shipped; chosen on dev) | split | parts | answered, declared not "
        "covered (never answered → shipped) | unanswered, taken as answered (never answered → "
        "shipped) |",
        "|---|---|---|---:|---:|---:|",
    ]
    for group, label in (
        ("elsewhere", "own evidence not printed"),
        ("own", "own evidence printed"),
    ):
        g = result[group]
        for split in ("dev", "test"):
            never, now = g[split]["errors_never_answered"], g[split]["errors_shipped"]
            lines.append(
                f"| {label} | `{g['setting']}` {g['shipped']}; {g['bar']} | {split} | "
                f"{g[split]['parts']} | {never['answered_declared']} → {now['answered_declared']} "
                f"| {never['unanswered_taken']} → {now['unanswered_taken']} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dev", type=Path, help="research.py quality results, dev split")
    parser.add_argument("--test", type=Path, help="research.py quality results, test split")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--markdown", type=Path, help="print a results file's table and exit")
    args = parser.parse_args()
    if args.markdown is None and (args.dev is None or args.test is None):
        parser.error("--dev and --test are needed unless --markdown is given")
    provenance.record_or_show(
        lambda: asyncio.run(run(args.dev, args.test)),
        markdown,
        json_path=args.out,
        show=args.markdown,
    )


if __name__ == "__main__":
    main()
