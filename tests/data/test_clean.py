from __future__ import annotations

import pytest

from lyceum.data.clean import (
    CleanConfig,
    clean_record,
    clean_records,
    clean_text,
    drop_sections,
    fix_unicode,
)
from lyceum.data.filters import FilterConfig, check_record, repeated_line_ratio, symbol_ratio
from lyceum.data.records import Record
from lyceum.data.stats import Drop, StepReport

PROSE = (
    "Widgets are small machines that people build in workshops. They compose well, and "
    "we measured how well over many careful experiments in several laboratories."
)


def _raw(cfg: CleanConfig | None = None, **overrides) -> CleanConfig:
    """A config with the quality filters off, to test one transform at a time."""
    base = {"max_symbol_ratio": None, "max_repeated_line_ratio": None, "word_length_range": None}
    return CleanConfig(**{**base, **overrides})


def test_mojibake_is_repaired():
    broken = "The cafÃ© served crÃ¨me brÃ»lÃ©e â€” twice."
    assert clean_text(broken, _raw()) == "The café served crème brûlée — twice."


@pytest.mark.parametrize(
    "text", ["a\x07b\x0bc\x1fd\x7fe\tf\nG\r\nh\ri", "x &amp; y", "plain", "cafÃ© â€” ok"]
)
def test_unicode_repair_equals_ftfy_including_the_ascii_shortcut(text):
    import ftfy

    assert fix_unicode(text) == ftfy.fix_text(text)


def test_whitespace_is_normalized():
    text = "a  b\t\tc   \r\n\r\n\r\n\r\nd\u00a0e  \n"
    assert clean_text(text, _raw()) == "a b c\n\nd e"


def test_acknowledgements_and_references_are_dropped_by_heading():
    text = (
        f"Introduction\n\n{PROSE}\n\nAcknowledgements\n\nWe thank the funders.\n\n"
        f"Results\n\n{PROSE}\n\n7 References\n\n[1] A. Author. A paper. 2020."
    )
    out = clean_text(text, _raw())
    assert "funders" not in out and "A. Author" not in out
    assert out.count(PROSE) == 2 and "Results" in out


@pytest.mark.parametrize(
    "heading", ["Appendix", "Appendix A: Proofs", "# Appendices", "A Appendix"]
)
def test_appendix_is_dropped_only_when_asked(heading):
    text = f"Method\n\n{PROSE}\n\n{heading}\n\nA proof that goes on.\n\nB More proofs\n\nEven more."
    assert "proof" in clean_text(text, _raw())
    out = clean_text(text, _raw(drop_appendix=True))
    assert "proof" not in out and out.endswith(PROSE)


def test_extract_section_offsets_are_used_when_present():
    text = f"Intro\n\n{PROSE}\n\nThanks to all\n\nWe thank the funders.\n\nEnd\n\nBye now."
    start = text.index("Thanks to all")
    end = text.index("End")
    sections = [
        {"title": "Intro", "level": 1, "start": 0, "end": start},
        {"title": "Thanks to all", "level": 1, "start": start, "end": end},
        {"title": "End", "level": 1, "start": end, "end": len(text)},
    ]
    record = Record(id="r", text=text, metadata={"sections": sections, "title": "T"})
    out = clean_record(record, _raw(drop_sections=["thanks to all"]))
    assert isinstance(out, Record)
    assert "funders" not in out.text and "Bye now." in out.text
    assert out.metadata == {"title": "T"}  # offsets no longer hold after cleaning


def test_figure_and_table_environments_and_captions_are_removed():
    text = (
        f"{PROSE}\n\\begin{{figure*}}\n\\includegraphics{{x.png}}\n\\caption{{Plot}}\n"
        "\\end{figure*}\nFigure 3: Throughput of widgets.\n| a | b |\n|---|---|\n| 1 | 2 |\n"
        "\\begin{table}\\begin{tabular}{cc} 1 & 2 \\end{tabular}\\end{table}After."
    )
    assert clean_text(text, _raw()) == f"{PROSE}\n\nAfter."


def test_configured_patterns_are_removed():
    config = _raw(remove_patterns=[r"^arXiv:\S+.*$", r"\[\d+(,\s*\d+)*\]"])
    text = f"arXiv:2101.00001v2 [cs.CL] 1 Jan 2021\n{PROSE} [3, 4]"
    assert clean_text(text, config) == PROSE


def test_bad_pattern_is_a_config_error():
    with pytest.raises(ValueError, match="not a regex"):
        CleanConfig(remove_patterns=["(unclosed"])


@pytest.mark.parametrize(
    ("text", "config", "reason"),
    [
        ("   ", FilterConfig(), "empty"),
        ("short", FilterConfig(min_chars=10), "too_short"),
        ("one two three", FilterConfig(min_words=4), "too_short"),
        (PROSE, FilterConfig(max_chars=20), "too_long"),
        ("$$ {} [] ## %% ^^ && ** ~~ a", FilterConfig(), "symbol_ratio"),
        ("same line\n" * 5 + PROSE, FilterConfig(), "repeated_lines"),
        ("a b c d e f g h", FilterConfig(), "word_length"),
        (PROSE + " CONFIDENTIAL", FilterConfig(drop_patterns=["CONFIDENTIAL"]), "pattern"),
    ],
)
def test_each_filter_drops_with_its_reason(text, config, reason):
    result = check_record(text, config)
    assert result is not None and result[0] == reason


def test_good_text_passes_every_filter():
    assert check_record(PROSE, FilterConfig(languages=["en"], min_words=10)) is None


@pytest.mark.parametrize("detector", ["fasttext", "langdetect"])
def test_language_filter_keeps_only_configured_languages(detector):
    german = (
        "Die Widgets sind kleine Maschinen, die Menschen in Werkstätten bauen. Sie lassen sich "
        "gut kombinieren, und wir haben in vielen sorgfältigen Experimenten gemessen, wie gut."
    )
    config = FilterConfig(languages=["en"], language_detector=detector)
    result = check_record(german, config)
    assert result is not None and result[0] == "language:de"
    assert check_record(PROSE, config) is None
    both = FilterConfig(languages=["en", "de"], language_detector=detector)
    assert check_record(german, both) is None


def test_quality_measures():
    assert symbol_ratio("abc") == 0.0 and symbol_ratio("a+b") == pytest.approx(1 / 3)
    assert repeated_line_ratio("x\ny\nx\nx") == pytest.approx(0.5)


def test_clean_stream_records_a_reason_for_every_drop():
    records = [
        Record(id="ok", text="The cafÃ© is   open. " + PROSE),
        Record(id="tiny", text="hi"),
        Record(id="spam", text="buy now\n" * 10),
    ]
    report = StepReport("clean")
    kept = list(clean_records(records, CleanConfig(min_chars=20), report=report))
    assert [r.id for r in kept] == ["ok"] and kept[0].text.startswith("The café is open.")
    stats = report.stats()
    assert stats.docs_in == 3 and stats.docs_out == 1
    assert stats.dropped == {"too_short": 1, "repeated_lines": 1}


def test_drop_carries_the_record_id():
    outcome = clean_record(Record(id="x", text=""), CleanConfig())
    assert outcome == Drop("x", "empty", "")


def test_sections_named_freely_are_matched_case_insensitively():
    text = (
        f"Intro\n\n{PROSE}\n\nFUNDING\n\nMoney came from somewhere.\n\nOutro\n\nThe end of it all"
    )
    out = drop_sections(text, ["funding"])
    assert "Money" not in out and "Outro" in out
