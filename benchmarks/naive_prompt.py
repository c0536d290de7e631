"""Does the lab's naive prompt invite a yes/no answer to a who/what question?

    nice .venv/bin/python benchmarks/naive_prompt.py [--n 16]

Runs the embedded model (the `local` backend, greedy) closed-book on SQuAD dev questions
that start with who/what/which/when/where/how many, and on StrategyQA yes/no questions,
with the naive prompt's old system text (the baseline, "a few words, a number, or yes/no")
and the current one from lyceum/lab/prompts/qa.yaml, in the same run. Judged by the answer's
form alone, which neither prompt produces: a reply that is "yes" or "no" to a wh-question is
the wrong kind of answer; to a StrategyQA question it is the right kind.
Writes benchmarks/results/naive_prompt.json.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import time
from itertools import islice
from pathlib import Path

import provenance

from lyceum.config import load_settings
from lyceum.lab.datasets import bigbench
from lyceum.lab.methods.extraction import extract_answer
from lyceum.lab.methods.prompts import prompt
from lyceum.llm.types import GenerateParams, Message
from lyceum.wiring import build_gateway

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results" / "naive_prompt.json"
BASELINE_SYSTEM = (
    "You answer questions with a short answer: a few words, a number, or yes/no.\n"
    "Reply with only the answer."
)
WH = re.compile(r"^(who|what|which|when|where|how many)\b", re.I)
YES_NO = re.compile(r"^\W*(yes|no)\b", re.I)


async def answers(system: str, questions: list[str], gateway) -> list[str]:
    template = prompt("naive")
    out = []
    for q in questions:
        user = template.render(question=q, context="")[1]
        completion = await gateway.generate(
            [Message.system(system), user], GenerateParams(max_tokens=24, temperature=0.0)
        )
        out.append(extract_answer(completion.text))
    return out


async def main(n: int) -> None:
    load_before = os.getloadavg()
    wh = [ex.question for ex in bigbench.squad_examples() if WH.match(ex.question.strip())]
    wh = wh[::97][:n]  # spread over the dev set's articles
    yes_no = [ex.question for ex in islice(bigbench.strategyqa_examples(), n)]
    current_system = prompt("naive").system.render().strip()
    settings = load_settings(os.environ.get("LYCEUM_WORKSPACE") or "/tmp/lyceum-bench-naive")
    gateway = build_gateway(settings)
    results = {}
    started = time.perf_counter()
    try:
        for name, system in (("baseline", BASELINE_SYSTEM), ("current", current_system)):
            wh_answers = await answers(system, wh, gateway)
            yn_answers = await answers(system, yes_no, gateway)
            results[name] = {
                "wh_questions_answered_yes_or_no": sum(bool(YES_NO.match(a)) for a in wh_answers),
                "wh_questions": len(wh),
                "yes_no_questions_answered_yes_or_no": sum(
                    bool(YES_NO.match(a)) for a in yn_answers
                ),
                "yes_no_questions": len(yes_no),
                "wh_answers": dict(zip(wh, wh_answers, strict=True)),
            }
            r = results[name]
            print(
                f"{name}: {r['wh_questions_answered_yes_or_no']}/{len(wh)} wh-questions answered "
                f"yes/no; {r['yes_no_questions_answered_yes_or_no']}/{len(yes_no)} yes/no "
                "questions answered yes/no"
            )
    finally:
        await gateway.aclose()
    provenance.write(
        RESULTS,
        load_before,
        model="local (embedded default), greedy, closed book",
        seconds=round(time.perf_counter() - started, 1),
        results=results,
    )
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=16)
    asyncio.run(main(parser.parse_args().n))
