import pytest

from lyceum.research.named import defines_page, heads_a_compound, named_tier, names, names_subject


def test_a_title_named_in_the_question_in_any_case_or_number() -> None:
    assert names(
        "What was the Columbian exchange, and how did it affect them?", "Columbian exchange"
    )
    assert names("What causes tsunamis?", "Tsunami")
    assert names("What do antibodies do?", "Antibody")
    assert names("Who first landed on the Moon?", "Moon (satellite)")
    # A plural in "-es" of a singular in "-e": the stem had kept the "e" of one only.
    assert names("How does it cause earthquakes and volcanoes?", "Earthquake")
    assert names("How does it cause earthquakes and volcanoes?", "Volcano")
    assert names("How do vaccines work?", "Vaccine")


def test_a_title_needs_all_its_words_in_a_row() -> None:
    assert not names("How did farming begin in the Neolithic?", "Neolithic Revolution")
    assert not names("How did Martin Luther start the Reformation?", "Martin Luther King Jr.")
    assert not names("What is the greenhouse effect?", "Effect greenhouse")
    assert not names("What is an atom made of?", "Atomic physics")


def test_a_title_that_stems_to_a_function_word_is_named_only_by_its_own_words() -> None:
    # "andes" stems to "and": the collection's *Andes* had been named by every question
    # with an "and" in it.
    assert not names("What is plate tectonics, and how does it cause earthquakes?", "Andes")
    assert not names("What had caused it?", "Hades")
    assert names("How high are the Andes?", "Andes")


def test_a_one_word_title_is_named_by_its_forms_not_by_a_shared_crude_stem() -> None:
    # "Ganges" and *Gang* stem alike: a trial report on the Ganges read *Gang* as a page the
    # question names and printed "A gang is a group …" in its short answer.
    question = "What is the Ganges, and why is it sacred to Hindus?"
    assert not names(question, "Gang")
    assert names(question, "Ganges")
    assert not names("What did he win the Nobel Prize for?", "Wine")
    assert not names("How dangerous is its bite?", "Bit")
    # Its plural or singular, regular or not, still names it.
    assert names("What is a virus, and how does it differ from a bacterium?", "Bacteria")
    assert names("How do volcanoes erupt?", "Volcano")
    assert names("How do telescopes work?", "Telescope (optics)")


def test_empty_or_tiny_titles_name_nothing() -> None:
    assert not names("What is it?", "")
    assert not names("What is a X?", "X")
    assert not names("What is the thing?", "The")


def test_tiers_put_the_sub_question_before_the_question() -> None:
    question = (
        "How did Martin Luther start the Reformation, and what did the Reformation challenge?"
    )
    sub = "What did the Reformation challenge?"
    assert named_tier("Reformation", sub, question) == 0
    assert named_tier("Martin Luther", sub, question) == 1
    assert named_tier("John Calvin", sub, question) == 2


def test_a_sentence_of_the_page_the_question_names_is_read_in_its_context() -> None:
    from lyceum.research.named import in_named_context

    question = "What was the Columbian exchange, and how did it affect the Indigenous peoples?"
    sentence = "Communicable diseases of Old World origin reduced the Indigenous population."
    assert in_named_context(sentence, "Columbian exchange", question) == (
        f"Columbian exchange: {sentence}"
    )
    assert in_named_context(sentence, "Smallpox", question) == sentence
    assert in_named_context(sentence, None, question) == sentence


def test_a_page_named_only_as_where_the_subject_is_is_not_its_context() -> None:
    from lyceum.research.named import in_named_context, named_as_setting

    # A trial report on apartheid printed "South Africa also encloses Lesotho."
    question = "What was apartheid, and when did it end in South Africa?"
    assert named_as_setting(question, "South Africa")
    assert not named_as_setting(question, "Apartheid")
    sentence = "South Africa also encloses Lesotho."
    assert in_named_context(sentence, "South Africa", question) == sentence
    # Named as the subject, or as more than a place, it is the context.
    morocco = "What is the capital of Morocco, and what languages are spoken in Morocco?"
    assert not named_as_setting(morocco, "Morocco")
    assert not named_as_setting(
        "What is South Africa, and what happened in Soweto?", "South Africa"
    )
    # No subject the form shows: left as named.
    assert not named_as_setting("Which gases contribute most in the atmosphere?", "Atmosphere")


def test_a_quote_given_an_opening_is_judged_on_its_own_when_it_names_the_subject() -> None:
    from lyceum.research.named import judged_text

    question = "What triggered World War I, and how did it end?"
    quote = "The incident was one of the key events that led to World War I."
    joined = f"They were shot at close range in Sarajevo. {quote}"
    assert judged_text(joined, quote, "Assassination of Archduke Franz Ferdinand", question) == (
        quote
    )
    # A quote that does not name the subject is judged with the opening that says what it
    # is about.
    other = "These events marked the end of the Cold War."
    opened = f"The revolutions of 1989 swept Eastern Europe. {other}"
    assert judged_text(opened, other, "Revolutions of 1989", question) == opened
    # Not joined: the sentence as written, in its page's context when the question names it.
    assert judged_text(quote, quote, "World War I", question) == f"World War I: {quote}"
    assert judged_text(joined, None, None, question) == joined


def test_a_page_is_defined_by_a_sentence_opening_on_its_name() -> None:
    assert defines_page(
        "Vincent Willem van Gogh was a Dutch Post-Impressionist painter.", "Vincent van Gogh"
    )
    assert defines_page("The Black Death was a plague pandemic.", "Black Death")
    assert defines_page("Ozone (or trioxygen) is an inorganic molecule.", "Ozone")
    assert defines_page("Chess, one of the oldest games, is a board game.", "Chess (game)")
    assert not defines_page("Theo van Gogh was an art dealer.", "Vincent van Gogh")
    assert not defines_page("Van Gogh's ear was cut off in 1888.", "Vincent van Gogh")
    assert not defines_page("Ozone depletion is the thinning of the ozone layer.", "Ozone")


def test_a_subject_is_named_in_a_row_or_by_its_definition_with_middle_names() -> None:
    question = "Who was Guglielmo Marconi, and what did he invent?"
    assert names_subject("Guglielmo Marconi built a radio.", question)
    # A trial report declared "What did he invent?" beside his definition, which names him
    # with his middle names only.
    definition = (
        "Guglielmo Giovanni Maria Marconi, 1st Marquess of Marconi, was an Italian "
        "electrical engineer, inventor, and politician."
    )
    assert names_subject(definition, question)
    assert not names_subject("Marconi was born in Bologna.", question)


@pytest.mark.parametrize(
    ("question", "title", "heads"),
    [
        ("What is the Andromeda Galaxy, and how far away is it?", "Galaxy", True),
        ("What is a black hole, and what is its event horizon?", "Horizon", True),
        ("What is a tropical cyclone?", "Cyclone", True),
        ("What is the Dead Sea, and why is it so salty?", "Sea", True),
        # Named on its own too, or after a verb: the page is the thing asked about.
        ("What is a galaxy, and what is the Andromeda Galaxy?", "Galaxy", False),
        ("What causes lightning, and how hot is it?", "Lightning", False),
        ("What is plate tectonics, and how does it cause earthquakes?", "Earthquake", False),
        ("Galaxy formation: how does it work?", "Galaxy", False),
        ("What is the Andromeda Galaxy?", "Andromeda Galaxy", False),
        # A common compound heads a name as a word does (a trial report on Yellowstone
        # printed *National park*'s definition in its short answer); not a name itself, nor
        # after a common word ("present-day climate change" is climate change).
        ("What is Yellowstone National Park known for?", "National park", True),
        ("What caused the fall of the Western Roman Empire?", "Roman Empire", False),
        ("What drives present-day climate change?", "Climate change", False),
        ("What is a national park?", "National park", False),
    ],
)
def test_a_title_may_be_named_only_as_the_head_of_a_longer_name(
    question: str, title: str, heads: bool
) -> None:
    assert heads_a_compound(question, title) is heads
