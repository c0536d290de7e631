"""The LaTeX paper: text escaped for LaTeX, a template with the packages it needs, and a
validator (balanced environments and braces, required packages, citation keys that exist)
whose findings the renderer fixes before compiling."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

import jinja2

from lyceum.research.background import background_intro
from lyceum.research.citations import BibEntry, sentence_keys, shown_report
from lyceum.research.markdown import (
    NO_ANSWER,
    NOT_COVERED_INTRO,
    no_answer_line,
    notes_line,
    plan_line,
    verification_line,
)
from lyceum.research.state import ResearchState, Sentence


@dataclass(frozen=True)
class Package:
    name: str
    options: str = ""


REQUIRED_PACKAGES = (
    Package("inputenc", "[utf8]"),
    Package("amsmath"),
    Package("url"),
    Package("hyperref", "[hidelinks]"),
)
_ENV = re.compile(r"\\(begin|end)\{([^}]+)\}")
_CITE = re.compile(r"\\cite\{([^}]*)\}")


# Control characters (C0, DEL, C1, Unicode line/paragraph separators): TeX reads some as
# its own syntax (^^M ends a line) or stops on them as invalid input.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# What a URL keeps raw inside `\\url{}` and a BibTeX field; everything else is
# percent-encoded, so neither TeX (`^^5c` is a backslash to TeX) nor BibTeX (braces) sees
# syntax in it. `~` is unreserved in URLs but TeX's tie, so it is encoded too (%7E is the
# same URL).
_URL_RAW = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._:/?=&@!*+,;()'"
)
_HEX = frozenset("0123456789abcdefABCDEF")
MAX_FIELD_CHARS = 1000
"""A bibliography text field (title, one author, note) is cut to this many characters: TeX
and BibTeX have line and string limits, and a hostile field should not reach them."""
MAX_URL_CHARS = 2000
_KEY_RAW = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:.-")


def escape(text: str) -> str:
    """Plain text as LaTeX: special characters escaped (`\\`, `^`, `~`, braces included),
    non-ASCII as LaTeX macros, control characters as spaces; characters LaTeX has no macro
    for are left out. The result holds no TeX syntax that came from `text`."""
    from pylatexenc.latexencode import unicode_to_latex

    return unicode_to_latex(
        _CONTROL.sub(" ", text),
        non_ascii_only=False,
        unknown_char_policy="ignore",
        unknown_char_warning=False,
    )


def url_escape(url: str, *, path: bool = False) -> str:
    """A URL for `\\url{}` and BibTeX: every character outside a conservative set is
    percent-encoded (UTF-8), an existing `%XX` is kept, and `%` and the first `#` (the
    fragment) are written `\\%` and `\\#` as `\\url` wants them. Cut to MAX_URL_CHARS.
    A file `path` has no percent-encoding of its own: each `%` in it is a literal `\\%`."""
    out: list[str] = []
    text = _CONTROL.sub("", url.strip())[:MAX_URL_CHARS]
    fragment_seen = False
    for i, char in enumerate(text):
        if char in _URL_RAW:
            out.append(char)
        elif char == "%" and (
            path or (text[i + 1 : i + 2] in _HEX and text[i + 2 : i + 3] in _HEX)
        ):
            out.append("\\%")
        elif char == "#" and not fragment_seen:
            fragment_seen = True
            out.append("\\#")
        else:
            encoded = char.encode("utf-8", errors="replace")
            out.extend(f"\\%{byte:02X}" for byte in encoded)
    return "".join(out)


def cite_key(key: str) -> str:
    """A citation key TeX and BibTeX read as one plain token: characters outside
    `[A-Za-z0-9_:.-]` become `-XX` (their code point in hex)."""
    return "".join(c if c in _KEY_RAW else f"-{ord(c):X}" for c in key) or "source"


def sentence_tex(s: Sentence, note_keys: dict[str, str]) -> str:
    keys = sentence_keys(s, note_keys)
    cited = ",".join(cite_key(k) for k in keys)
    text = escape(s.text) + (f"~\\cite{{{cited}}}" if keys else "")
    # Only an old run can hold a cited hypothesis: the writer no longer drafts any.
    if s.kind == "hypothesis":
        return f"\\emph{{Hypothesis (confidence: {s.confidence or 'low'}):}} {text}"
    return text


def _template() -> jinja2.Template:
    env = jinja2.Environment(
        block_start_string="((*",
        block_end_string="*))",
        variable_start_string="(((",
        variable_end_string=")))",
        comment_start_string="((=",
        comment_end_string="=))",
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
        undefined=jinja2.StrictUndefined,
    )
    source = (resources.files("lyceum.research") / "templates" / "paper.tex.j2").read_text("utf-8")
    return env.from_string(source)


def render_latex(
    state: ResearchState,
    bibliography: list[BibEntry],
    note_keys: dict[str, str],
    *,
    author: str = "Lyceum deep research",
    repair: bool = True,
) -> str:
    """paper.tex for the run; with `repair`, what `problems` finds that can be fixed
    mechanically is fixed (`repair_static`)."""
    assert state.plan is not None
    shown = shown_report(state)
    sections = []
    first_facts: list[str] = []
    for section in shown.sections:
        body = " ".join(sentence_tex(s, note_keys) for s in section.sentences)
        sections.append({"title": escape(section.title), "body": body or escape(section.empty)})
        fact = next((s for s in section.sentences if s.kind == "fact"), None)
        if fact is not None and sentence_tex(fact, note_keys) not in first_facts:
            first_facts.append(sentence_tex(fact, note_keys))
    short_answer = " ".join(sentence_tex(s, note_keys) for s in shown.short_answer)
    has_short_answer = bool(short_answer)
    if shown.background:
        # Said to be background, under the statement that the question is not answered.
        said = " ".join(sentence_tex(s, note_keys) for s in shown.background)
        short_answer = (
            f"{escape(no_answer_line(shown))}\n\n{escape(background_intro(state.question))} {said}"
        )
    m = state.meter
    method = (
        f"{escape(plan_line(state.plan.summary) + ' ' if state.plan.summary else '')}"
        "Sources searched: "
        f"{escape(', '.join(sorted({q.source for q in state.queries})) or 'none')}; "
        f"{len(state.queries)} queries, {len(state.passages)} passages read, "
        f"{escape(notes_line(state))} {escape(verification_line(state))} "
        f"Model usage: {m.calls} calls, {m.prompt_tokens + m.completion_tokens} tokens."
    )
    tex = _template().render(
        packages=REQUIRED_PACKAGES,
        title=escape(state.question),
        author=escape(author),
        abstract=(
            escape(no_answer_line(shown))
            if shown.answers_no_part
            else _abstract(state, len(bibliography), first_facts, has_short_answer)
        ),
        short_answer=short_answer,
        introduction=escape(
            f"This report addresses the question: {state.question} "
            f"It was researched through {len(state.roots())} sub-questions."
        ),
        sections=sections,
        not_covered_intro=escape(NOT_COVERED_INTRO),
        not_covered=[escape(part) for part in shown.not_covered],
        gaps=[escape(line) for line in shown.open_questions],
        method=method,
        has_citations=bool(bibliography),
    )
    return repair_static(tex, {e.key for e in bibliography}) if repair else tex


def _abstract(
    state: ResearchState, sources: int, first_facts: list[str], has_short_answer: bool
) -> str:
    """With a short answer right below it, the abstract says what the report is rather
    than repeat it; without one, it is the first cited sentence of each section."""
    if not has_short_answer:
        return " ".join(first_facts) or escape(NO_ANSWER)
    text = (
        f"This report answers the question: {state.question} "
        f"Every statement in it cites the passage it rests on ({sources} "
        f"document{'s' if sources != 1 else ''} in all)."
    )
    if state.not_covered:
        n = len(state.not_covered)
        text += f" The sources searched do not cover {n} part{'s' if n != 1 else ''} of it."
    return escape(text)


def problems(tex: str, bib_keys: set[str]) -> list[str]:
    """What is wrong with `tex` before compiling it."""
    bib_keys = {cite_key(k) for k in bib_keys}
    found: list[str] = []
    stack: list[str] = []
    for kind, name in _ENV.findall(tex):
        if kind == "begin":
            stack.append(name)
        elif not stack or stack[-1] != name:
            found.append(f"\\end{{{name}}} without matching \\begin")
        else:
            stack.pop()
    found += [f"\\begin{{{name}}} never ended" for name in stack]
    depth = 0
    for char in re.sub(r"\\[{}%]|%.*", "", tex):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            break
    if depth != 0:
        found.append("unbalanced braces")
    for package in REQUIRED_PACKAGES:
        if f"{{{package.name}}}" not in tex:
            found.append(f"package {package.name} missing")
    for keys in _CITE.findall(tex):
        found += [
            f"citation key {k} not in references.bib" for k in keys.split(",") if k not in bib_keys
        ]
    return found


def repair_static(tex: str, bib_keys: set[str]) -> str:
    """Fix what `problems` finds that can be fixed mechanically: unknown citation keys are
    removed, environments left open are closed before \\end{document}, and missing
    required packages are added before \\begin{document}."""
    bib_keys = {cite_key(k) for k in bib_keys}

    def keep_known(m: re.Match[str]) -> str:
        keys = [k for k in m.group(1).split(",") if k in bib_keys]
        return f"\\cite{{{','.join(keys)}}}" if keys else ""

    tex = _CITE.sub(keep_known, tex)
    stack: list[str] = []
    for kind, name in _ENV.findall(tex):
        if kind == "begin":
            stack.append(name)
        elif stack and stack[-1] == name:
            stack.pop()
    open_envs = [n for n in stack if n != "document"]
    if open_envs:
        closing = "".join(f"\\end{{{n}}}\n" for n in reversed(open_envs))
        tex = tex.replace("\\end{document}", closing + "\\end{document}")
    missing = [p for p in REQUIRED_PACKAGES if f"{{{p.name}}}" not in tex]
    if missing and "\\begin{document}" in tex:
        lines = "".join(f"\\usepackage{p.options}{{{p.name}}}\n" for p in missing)
        tex = tex.replace("\\begin{document}", lines + "\\begin{document}", 1)
    return tex


def validate_and_repair(tex: str, bib_keys: set[str]) -> tuple[str, list[str], list[str]]:
    """(repaired tex, problems found, problems left after `repair_static`)."""
    found = problems(tex, bib_keys)
    if not found:
        return tex, [], []
    repaired = repair_static(tex, bib_keys)
    return repaired, found, problems(repaired, bib_keys)
