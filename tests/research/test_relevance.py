"""The relevance gate on MiniLM, the model the thresholds were chosen for."""

import pytest

from lyceum.research.relevance import (
    another_bearer,
    another_instance,
    another_kind,
    another_of_name,
    another_person,
    another_possessor,
    another_qualifier,
    another_topic,
    common_noun,
    defined_kind,
    derived_from_name,
    gate_target,
    general_kind,
    load_relevance,
    namesake,
    on_the_asked_persons_page,
    part_of_name,
    passage_namesake,
    reasons_of_another,
    shares_no_word,
    sibling,
    subject_pages,
    subtype_definition,
    supertype_definition,
)
from lyceum.research.settings import ResearchSettings
from lyceum.research.state import SubQuestion

QUESTION = "How do vaccines work and what limits their effectiveness?"
CONFIG = ResearchSettings()


def _target(sq: SubQuestion):  # type: ignore[no-untyped-def]
    return gate_target(QUESTION, sq, CONFIG.min_sentence_relevance, CONFIG.min_part_relevance)


async def test_the_gate_keeps_the_topic_and_leaves_out_other_topics() -> None:
    relevance = load_relevance("minilm")
    sq = SubQuestion(id="q1", question="How do vaccines work?", origin="part", part=0)
    texts = [
        "A vaccine is a biological preparation that provides active acquired immunity to a "
        "particular infectious disease.",
        "Edward Jenner was born in Berkeley, Gloucestershire.",
        "The gravitational collapse of a massive star compresses the core, leading to the "
        "formation of a neutron star.",
    ]
    assert await relevance.bears_on(texts, QUESTION, _target(sq)) == [True, False, False]


async def test_a_later_part_is_scored_on_its_own_words_and_its_distinctive_words() -> None:
    relevance = load_relevance("minilm")
    part = SubQuestion(id="q2", question="What limits their effectiveness?", origin="part", part=1)
    target = _target(part)
    assert target.text == "What limits their effectiveness?"
    assert target.words == {"limit", "effectiveness"}  # stemmed content words
    generic = (
        "A vaccine typically contains an agent that resembles a disease-causing microorganism."
    )
    answer = "The effectiveness of a vaccine is limited when the virus mutates."
    [generic_score, answer_score] = await relevance.part_scores([generic, answer], QUESTION, 1)
    assert answer_score >= CONFIG.min_part_answer > generic_score


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The test split's Reformation report cited this sentence (labels.jsonl).
        (
            "Martin Luther King Jr. was an American civil rights activist and Baptist minister.",
            "Martin Luther",
        ),
        ("Martin Luther King Jr.", "Martin Luther"),
        ("Martin Luther was a German priest and theologian.", None),
        ("Martin Luther's Ninety-five Theses challenged indulgences.", None),
        ("Martin Luther King Jr. admired Martin Luther.", None),
        ("The Reformation began in 1517.", None),
    ],
)
def test_a_namesake_of_a_name_in_the_question_is_another_topic(
    text: str, expected: str | None
) -> None:
    question = (
        "How did Martin Luther start the Reformation, and what did the Reformation challenge?"
    )
    assert namesake(text, question) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The dev report on World War I cited the Eastern Front and Stalingrad of World War II.
        ("Eastern Front (World War II)", "World War I"),
        ("Post–World War II economic expansion", "World War I"),
        ("World War I", None),
        ("The Treaty of Versailles ended World War I.", None),
        ("World War I and World War II", None),
    ],
)
def test_a_name_inside_a_longer_word_is_a_namesake(text: str, expected: str | None) -> None:
    assert namesake(text, "What triggered World War I, and how did it end?") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The dev report on the Industrial Revolution cited two sentences on the Second.
        (
            "The Second Industrial Revolution was a phase of rapid discovery.",
            "Industrial Revolution",
        ),
        ("Second Industrial Revolution", "Industrial Revolution"),
        # The first of a series is the name itself.
        ("The First Industrial Revolution ended before the Second Industrial Revolution.", None),
        ("The Industrial Revolution led to the Second Industrial Revolution.", None),
        ("Beginning in Great Britain around 1760, the Industrial Revolution spread.", None),
    ],
)
def test_a_name_after_an_ordinal_is_a_namesake(text: str, expected: str | None) -> None:
    question = "When and where did the Industrial Revolution begin?"
    assert namesake(text, question) == expected
    assert namesake("The Holy Roman Empire was a polity.", "Why did the Roman Empire fall?")


def test_a_plural_of_a_name_is_the_same_name() -> None:
    question = "How did the Apollo Program begin?"
    assert namesake("The Apollo Programs were funded by NASA.", question) is None
    assert namesake("The Apollo Programs and the Apollo Programs Office", question) is None


def test_a_passage_is_about_a_namesake_by_its_title_or_its_text() -> None:
    question = "What triggered World War I, and how did it end?"
    assert passage_namesake("World War II", "It was a global conflict.", question)
    campaign = "The Battle of the Atlantic was the longest campaign of World War II."
    assert passage_namesake("Battle of the Atlantic", campaign, question) == "World War I"
    treaty = "The treaty ended World War I; World War II began twenty years later."
    assert passage_namesake("Treaty of Versailles", treaty, question) is None
    # The page the question names is its own topic, whatever its text goes on to.
    aftermath = "Its aftermath led to World War II."
    assert passage_namesake("World War I", aftermath, question) is None


def test_another_of_the_names_kind_that_never_mentions_it_is_a_sibling() -> None:
    # Pages the dev reports read for World War I and the French Revolution.
    question = "What triggered World War I, and how did it end?"
    vietnam = "The Vietnam War was an armed conflict in Vietnam, Laos, and Cambodia."
    assert sibling("Vietnam War", vietnam, question) == "World War I"
    assert sibling("Cold War", "It began after the Second World War.", question) == "World War I"
    wars = "A series of conflicts fought between the French Republic and its opponents."
    assert sibling("French Revolutionary Wars", wars, question) == "World War I"
    assert another_topic("Cold War", "It began in 1947.", question) == (
        "another war than 'World War I'"
    )
    # One that mentions the name is about it too; the page the question names is its own.
    mentions = "The Byzantine Empire survived the fall of the Western Roman Empire."
    fall = "Why did the Western Roman Empire fall, and when did it happen?"
    assert sibling("Byzantine Empire", mentions, fall) is None
    assert sibling("World War I", "It was a global conflict.", question) is None
    # A name inside the question's (the Roman Empire of the Western one), a common noun's
    # page ("Personifications of death") and a one-word title are not siblings.
    assert sibling("Roman Empire", "The Roman Empire ruled the Mediterranean.", fall) is None
    death = "What was the Black Death, what caused it, and how many people did it kill?"
    assert sibling("Personifications of death", "Death is personified.", death) is None
    assert sibling("War", "War is an armed conflict.", question) is None
    revolution = "What caused the French Revolution, and what ideas did it leave behind?"
    assert sibling("Haitian Revolution", "A slave revolt in Saint-Domingue.", revolution) == (
        "French Revolution"
    )


def test_another_of_what_the_named_subject_has_is_someone_elses() -> None:
    # A trial report answered "how large was his empire?" with the Russian Empire's size.
    question = "Who was Alexander the Great, and how large was his empire?"
    russia = "The Russian Empire was the third-largest empire in history."
    assert sibling("Russian Empire", russia, question) == "Alexander the Great's empire"
    assert another_topic("Russian Empire", russia, question) == (
        'another empire than "Alexander the Great\'s empire"'
    )
    # A page that mentions the subject, a page of another kind, the kind itself: read.
    seleucid = "It was founded by Seleucus, a general of Alexander the Great."
    assert sibling("Seleucid Empire", seleucid, question) is None
    assert sibling("Persian Gulf", "A gulf in Western Asia.", question) is None
    assert sibling("Empire", "An empire is a realm.", question) is None
    # Without a name in the question, "its" owner is not known.
    assert sibling("Russian Empire", russia, "How large was its empire?") is None


def test_a_page_titled_by_a_modifier_of_a_name_that_never_mentions_it_is_another_topic() -> None:
    # Pages the dev reports read: *Black* for the Black Death (a colour, mined for "What was
    # the Black Death?"), *Silk* and *Giza*; the name's head (*Pyramid*, *Road*) is its kind.
    death = "What was the Black Death, what caused it, and how many people did it kill?"
    black = "Black is a color that results from the absence of visible light."
    assert part_of_name("Black", black, death) == "Black Death"
    assert another_topic("Black", black, death) == "a part of the name 'Black Death'"
    pyramid = "Who built the Great Pyramid of Giza, when, and how long did it take?"
    assert part_of_name("Giza", "Giza is a city in Egypt.", pyramid) == "Great Pyramid of Giza"
    assert part_of_name("Pyramid", "A pyramid is a structure.", pyramid) is None
    road = "What was the Silk Road, and how did it connect East and West?"
    assert part_of_name("Silk", "Silk is a natural protein fiber.", road) == "Silk Road"
    assert part_of_name("Road", "A road is a wide way.", road) is None
    # A page that mentions the whole name is about it too, and the name's own page is its own.
    assert part_of_name("Black", "The Black Death was named for its black buboes.", death) is None
    assert part_of_name("Black Death", "It was a plague pandemic.", death) is None
    # A page defining its title as the name's head is the named thing (a trial report on the
    # Sahara Desert turned *Sahara* away and printed the Arabian Desert's sentences).
    sahara = "What is the Sahara Desert, and which countries does it cover?"
    assert part_of_name("Sahara", "The Sahara is a desert spanning North Africa.", sahara) is None
    # A question that names the modifier again on its own asks about it too (a trial report
    # on Svalbard had turned *Svalbard* away for the Svalbard Treaty) — written as the title
    # writes it: the Black Death's "black rats" are not *Black*.
    svalbard = "What is Svalbard, who governs it, and what did the Svalbard Treaty establish?"
    islands = "Svalbard is a Norwegian archipelago in the Arctic Ocean."
    assert part_of_name("Svalbard", islands, svalbard) is None
    rats = "What was the Black Death, and were black rats to blame?"
    assert part_of_name("Black", black, rats) == "Black Death"
    assert (
        part_of_name("Giza", "Giza is a city in Egypt.", pyramid + " Is Giza near Cairo?") is None
    )


def test_a_page_titled_by_a_part_of_a_numbered_name_or_of_an_asked_term_is_another_topic() -> None:
    # Trial reports printed *Saturn*'s "Saturn is the sixth planet from the Sun …" as the
    # short answer on the Saturn V, and "Brown is a color." under "What is a brown dwarf?".
    saturn_v = "What is the Saturn V, and how tall was it?"
    planet = "Saturn is the sixth planet from the Sun and the second largest in the Solar System."
    assert part_of_name("Saturn", planet, saturn_v) == "Saturn V"
    # A page whose title says which sense it is may be the name's, and a page naming the
    # whole name is about it; "World War I" is still a war.
    rockets = "The Saturn family of American rockets was developed by NASA."
    assert part_of_name("Saturn (rocket family)", rockets, saturn_v) is None
    assert part_of_name("Saturn", "The Saturn V carried astronauts to the Moon.", saturn_v) is None
    war = "What triggered World War I, and how did it end?"
    assert part_of_name("War", "War is an armed conflict between states.", war) is None
    dwarf = "What is a brown dwarf, and how does it differ from a star?"
    colour = "Brown is a color. It can be thought of as a dark shade of orange."
    assert another_topic("Brown", colour, dwarf) == "a part of the name 'brown dwarf'"
    assert part_of_name("Dwarf", "A dwarf is a small being.", dwarf) is None  # its kind
    plates = "What is plate tectonics, and how does it cause earthquakes and volcanoes?"
    dish = "A plate is a broad, mainly flat vessel on which food can be served."
    assert part_of_name("Plate (dishware)", dish, plates) == "plate tectonics"
    # The question names the modifier again on its own: *Ozone* is what it asks about too.
    ozone = "What is the ozone hole, what causes ozone depletion, and which treaty phased out CFCs?"
    gas = "Ozone is an inorganic molecule with the chemical formula O3."
    assert part_of_name("Ozone", gas, ozone) is None
    # A plural of the modifier in the question, or another word of it on the page, and a
    # link's title without its page, are not enough to tell (a review's examples).
    cells = "What is cell division, and why do cells divide?"
    cell = "The cell is the basic structural and functional unit of all forms of life."
    assert part_of_name("Cell (biology)", cell, cells) is None
    dating = "What is carbon dating, and how does it work?"
    carbon = "Carbon is a chemical element; carbon-14 is used in radiocarbon dating."
    assert part_of_name("Carbon", carbon, dating) is None
    assert part_of_name("Brown", "", dwarf) is None
    # A name is found in a page's text as whole words: "Elizabeth is …" does not name
    # Elizabeth I.
    queen = "Who was Elizabeth I, and when did she reign?"
    assert part_of_name("Elizabeth", "Elizabeth is a feminine given name.", queen) == "Elizabeth I"
    # "What is X made of / used for?", "What is the difference between …?" define no term.
    assert part_of_name("Insulin", "Insulin is a hormone.", "What is insulin made of?") is None
    weather = "What is the difference between weather and climate?"
    assert part_of_name("Weather", "Weather is the state of the atmosphere.", weather) is None


def test_a_page_titled_by_a_word_made_from_a_names_first_word_is_another_topic() -> None:
    # A trial report on the Pagan Kingdom printed *Paganism*'s "Individuals fell into the
    # pagan class …" in its short answer.
    pagan = "What was the Pagan Kingdom, and when did it fall?"
    religion = "Paganism is a term used to refer to various religions other than Christianity."
    assert another_topic("Paganism", religion, pagan) == "a word made from the name 'Pagan Kingdom'"
    assert derived_from_name("Modern paganism", religion, pagan) == "Pagan Kingdom"
    # The name's own page, a page naming it, and a plural are not made from it.
    assert derived_from_name("Pagan Kingdom", "The Pagan Kingdom was a kingdom.", pagan) is None
    assert (
        derived_from_name("Paganism", "Paganism is unrelated to the Pagan Kingdom.", pagan) is None
    )
    # A sentence sharing with the question only such a word shares nothing with it (the
    # report went on to print *Ancient Celtic religion*'s sentences).
    celtic = "Celtic paganism was one of a larger group of polytheistic religions."
    assert shares_no_word(celtic, "Ancient Celtic religion", pagan)
    assert not shares_no_word("The Pagan Kingdom fell in 1287.", "Anawrahta", pagan)
    # A link's title alone does not show which sense it is (*Catholicism* for the
    # Catholic Church).
    assert derived_from_name("Catholicism", "", "What is the Catholic Church?") is None
    romans = "Why did the Roman Empire fall?"
    assert derived_from_name("Romans", "The Romans were a people.", romans) is None


def test_a_sentence_sharing_no_word_with_the_question_on_an_unnamed_page_is_off_topic() -> None:
    # The Black Death dev report printed this World War II sentence on how many died.
    death = "What was the Black Death, what caused it, and how many people did it kill?"
    ww2 = "Millions died as a result of massacres, starvation, disease, and genocides."
    assert shares_no_word(ww2, "World War II", death)
    # A word of the question in the sentence or its page's title, alike in its first six
    # letters ("vaccination" for "vaccines"), or a page the question names, is enough.
    assert not shares_no_word("The plague killed millions.", "Plague", death)
    vaccines = "How do vaccines work, and what limits their effectiveness?"
    herd = "When enough of a population is immune, herd immunity results."
    assert not shares_no_word(herd, "Vaccination", vaccines)
    assert not shares_no_word(ww2, "Black Death", death)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A report on the Mona Lisa printed this, from a Chinese scroll's page.
        (
            "The painting is the most renowned of all Chinese paintings, and it has been "
            'called "China\'s Mona Lisa."',
            "Mona Lisa",
        ),
        ("Bruges is often called the Mona Lisa of Belgium.", "Mona Lisa"),
        # The painting itself, however introduced.
        ("The portrait, known as the Mona Lisa, hangs in the Louvre.", None),
        ("Leonardo's Mona Lisa hangs in the Louvre.", None),
        ('It has been called "China\'s Mona Lisa"; the Mona Lisa is in Paris.', None),
    ],
)
def test_a_name_lent_to_another_thing_is_a_namesake(text: str, expected: str | None) -> None:
    assert namesake(text, "Who painted the Mona Lisa, and where is it kept?") == expected


CANCER = "What is cancer, and what causes it?"


@pytest.mark.parametrize(
    ("text", "title", "question", "expected"),
    [
        # A trial report on cancer printed these definitions of its kinds.
        (
            "Breast cancer is a cancer that develops from breast tissue.",
            "Breast cancer",
            CANCER,
            True,
        ),
        ("Skin cancers are cancers that arise from the skin.", "Skin cancer", CANCER, True),
        (
            "A stellar black hole is a black hole formed by the gravitational collapse of a star.",
            "Stellar black hole",
            "What is a black hole, and do black holes emit radiation?",
            True,
        ),
        # A plural subject: a trial report printed this in its short answer.
        (
            "A stellar black hole is a black hole formed by the gravitational collapse of a star.",
            "Stellar black hole",
            "What are black holes, and how are they detected?",
            True,
        ),
        # A kind's cause is not a definition; the subject's own page is not a kind of it.
        (
            "Lung cancer is caused by genetic damage to the DNA of cells.",
            "Lung cancer",
            CANCER,
            False,
        ),
        ("Cancer is a group of diseases involving abnormal cell growth.", "Cancer", CANCER, False),
        # A kind the question asks about.
        (
            "Special relativity is a scientific theory of the relationship between space and time.",
            "Special relativity",
            "What is the difference between special and general relativity?",
            False,
        ),
        (
            "Breast cancer is a cancer of the breast.",
            "Breast cancer",
            "What causes breast cancer?",
            False,
        ),
        # A superlative asks which kind (a trial report turned the Pacific away).
        (
            "The Pacific Ocean is the largest and deepest of Earth's five oceanic divisions.",
            "Pacific Ocean",
            "What is the largest ocean, and how deep is it?",
            False,
        ),
    ],
)
def test_a_definition_of_a_kind_the_question_does_not_ask_about_is_off_topic(
    text: str, title: str, question: str, expected: bool
) -> None:
    assert subtype_definition(text, title, question) is expected


def test_another_bearer_of_the_asked_persons_first_name_is_another_topic() -> None:
    # A trial report on Albert Einstein read *Albert A. Michelson* (both won the Nobel Prize
    # in Physics) and printed Michelson's prize under "Who was Albert Einstein?".
    question = "Who was Albert Einstein, and what did he win the Nobel Prize for?"
    michelson = (
        "Albert Abraham Michelson was an American physicist. In 1907 he won the Nobel Prize."
    )
    assert another_bearer("Albert A. Michelson", michelson, question) == "Albert Einstein"
    assert another_topic("Albert A. Michelson", michelson, question) is not None
    # A page that speaks of the person, the person's own page, a one-word title: kept.
    bohr = "Niels Bohr was a Danish physicist. Albert Einstein admired his work."
    assert another_bearer("Niels Bohr", bohr, question) is None
    assert another_bearer("Albert Camus", "Albert Camus read Einstein.", question) is None
    assert another_bearer("Albert Einstein", "Albert Einstein was a physicist.", question) is None
    # Another of a name's numbered bearers (a trial report printed Napoleon III's presidency
    # under "Who was Napoleon?"); the first may be the one asked about, and a numbered name
    # asked about is its own page.
    napoleon = "Who was Napoleon, and why was he exiled?"
    third = "Napoleon III was the first President of France from 1848 to 1852."
    assert another_bearer("Napoleon III", third, napoleon) == "Napoleon"
    assert another_bearer("Napoleon I", "Napoleon I was Emperor of the French.", napoleon) is None
    assert another_bearer("Napoleon III", third, "Who was Napoleon III?") is None
    # Only a person the question asks "who" about: "Roman" of the Roman Colosseum is not a
    # given name, and *Roman Empire* bears on it.
    colosseum = "What was the Roman Colosseum used for, and when was it built?"
    assert another_bearer("Roman Empire", "The Roman Empire ruled.", colosseum) is None


def test_a_longer_name_opening_with_a_one_word_name_of_the_question_is_another_topic() -> None:
    # A trial report on the Han dynasty printed *Han Yu*'s definition under "What is the Han
    # dynasty known for?".
    question = "When did the Han dynasty rule China, and what is it known for?"
    han_yu = "Han Yu was an essayist and poet during the Tang dynasty."
    assert another_bearer("Han Yu", han_yu, question) == "Han"
    saturn = "What is Saturn made of, and how many moons does it have?"
    rocket = "The Saturn V is a retired American super heavy-lift launch vehicle."
    assert another_bearer("Saturn V", rocket, saturn) == "Saturn"
    # The page itself, a page saying the question's words, another page: kept.
    assert another_bearer("Han dynasty", "The Han dynasty ruled China.", question) is None
    chinese = "The Han Chinese take their name from the Han dynasty."
    assert another_bearer("Han Chinese", chinese, question) is None
    assert another_bearer("Tang dynasty", "The Tang dynasty followed.", question) is None


def test_another_bearer_of_one_name_the_question_tells_apart_is_another_person() -> None:
    # A trial report printed Mary Magdalene's definition under "Who was Mary, mother of
    # Jesus?".
    question = "Who was Mary, mother of Jesus, and how is she venerated?"
    magdalene = (
        "Mary Magdalene was a woman who, according to the four canonical gospels, travelled "
        "with Jesus as one of his followers."
    )
    assert another_person(magdalene, question, "Mary Magdalene") == "Mary Magdalene"
    eddy = "Mary Baker Eddy was an American religious leader and author."
    assert another_person(eddy, question, "Mary Baker Eddy") == "Mary Baker Eddy"
    own = "Mary was a first-century Jewish woman of Nazareth, the wife of Joseph and the mother of Jesus."
    assert another_person(own, question, "Mary, mother of Jesus") is None
    # A longer name the apposition's words describe is the one asked about.
    alexander = (
        "Alexander III of Macedon, commonly known as Alexander the Great, was a king of the "
        "ancient Greek kingdom of Macedon."
    )
    question = "Who was Alexander, king of Macedon, and what did he conquer?"
    assert another_person(alexander, question, "Alexander the Great") is None
    # Without an apposition, one name says nothing of which bearer: left as before.
    galileo = "Galileo di Vincenzo Bonaiuti de' Galilei was an Italian astronomer."
    assert another_person(galileo, "Who was Galileo?", "Galileo Galilei") is None


def test_a_definition_of_another_person_is_off_a_question_asking_who_someone_was() -> None:
    # A trial report on Leonardo da Vinci printed the definitions of Raphael and Vasari.
    question = "Who was Leonardo da Vinci, and what are his most famous works?"
    raphael = (
        "Raffaello Sanzio da Urbino, now generally known in English as Raphael, was an "
        "Italian painter and architect of the High Renaissance. Together with Leonardo da "
        "Vinci and Michelangelo, he forms the traditional trinity of great masters."
    )
    assert another_person(raphael, question) == "Raffaello Sanzio da Urbino"
    assert another_person("Giorgio Vasari was an Italian painter.", question) == "Giorgio Vasari"
    vasari = (
        "Giorgio Vasari was an Italian Renaissance painter, architect, art historian, and "
        "biographer known for his work Lives of the Most Excellent Painters, Sculptors, and "
        "Architects, still much cited in modern biographies of the many Italian Renaissance "
        "artists he covers, including Leonardo da Vinci and Michelangelo."
    )
    assert another_person(vasari, question) == "Giorgio Vasari"
    # The person, a work defined by its maker, a thing opening on an article: kept.
    own = "Leonardo di ser Piero da Vinci was an Italian polymath of the High Renaissance."
    assert another_person(own, question) is None
    # The person under a fuller name (a trial report on Nelson Mandela had lost it).
    mandela = "Nelson Rolihlahla Mandela was a South African anti-apartheid revolutionary."
    assert another_person(mandela, "Who was Nelson Mandela, and why was he imprisoned?") is None
    # The person under another name, in an aside; another who shares the first name only
    # (a trial report on Leonardo da Vinci printed Fibonacci's definition).
    curie = "Maria Salomea Skłodowska-Curie, known simply as Marie Curie, was a Polish physicist."
    assert another_person(curie, "Who was Marie Curie, and what did she discover?") is None
    fibonacci = (
        "Leonardo Bonacci, also Leonardo da Pisa, commonly known as Fibonacci, was an Italian "
        "mathematician from the Republic of Pisa."
    )
    assert another_person(fibonacci, question) == "Leonardo Bonacci"
    # The person asked about in a first part without a comma, by initials: a trial report
    # dropped his page's definition as another person's.
    ambedkar = "Who was B. R. Ambedkar and what did he contribute to the Constitution of India?"
    bhimrao = "Bhimrao Ramji Ambedkar was an Indian jurist who chaired the drafting committee."
    assert another_person(bhimrao, ambedkar) is None
    assert another_person("Rajendra Ambedkar was a poet.", ambedkar) == "Rajendra Ambedkar"
    assert another_person("Sukarno was an Indonesian statesman.", ambedkar) == "Sukarno"
    # Every initial in turn (a review's counterexample).
    christian = "Johann Christian Bach was a German composer, a son of Johann Sebastian Bach."
    assert another_person(christian, "Who was J. S. Bach?") == "Johann Christian Bach"
    work = "Salvator Mundi is a painting attributed to the artist Leonardo da Vinci."
    assert another_person(work, question) is None
    assert another_person("The Last Supper is a mural by Leonardo da Vinci.", question) is None
    # Named beside the person, not as a maker: another person (a trial report on Shakespeare
    # printed Ben Jonson's definition under "Who was William Shakespeare?").
    jonson = (
        'Ben Jonson is regarded as "the second most important English dramatist, after '
        'William Shakespeare, during the reign of James I."'
    )
    shakespeare = "Who was William Shakespeare, and what are his most famous plays?"
    assert another_person(jonson, shakespeare) == "Ben Jonson"
    assert another_person("The Mona Lisa is a half-length portrait painting.", question) is None
    # Another of the family: the surname asked about, another given name (a trial report on
    # Lorenzo de' Medici printed Cosimo's definition in its short answer). A title is no
    # given name: "Victoria was Queen …" is Queen Victoria.
    lorenzo = "Who was Lorenzo de' Medici, and why was he important?"
    cosimo = "Cosimo di Giovanni de' Medici was an Italian banker and politician."
    assert another_person(cosimo, lorenzo) == "Cosimo di Giovanni de' Medici"
    own_name = "Lorenzo di Piero de' Medici, known as Lorenzo the Magnificent, was a statesman."
    assert another_person(own_name, lorenzo) is None
    # On the page of the person asked about, the birth name is theirs (a trial report on
    # Wole Soyinka had dropped his definition).
    soyinka = "Akinwande Oluwole Babatunde Soyinka is a Nigerian writer, playwright, and poet."
    wole = "Who was Wole Soyinka, and what prize did he win?"
    assert another_person(soyinka, wole, "Wole Soyinka") is None
    assert another_person(cosimo, lorenzo, "Cosimo de' Medici") == "Cosimo di Giovanni de' Medici"
    pierre = "Pierre Curie was a French physicist and chemist."
    assert another_person(pierre, "Who was Marie Curie?") == "Pierre Curie"
    victoria = "Victoria was a British monarch who reigned from 1837 until her death."
    assert another_person(victoria, "Who was Queen Victoria?") is None
    assert another_person("Mao Zedong was a Chinese politician.", "Who was Chairman Mao?") is None
    # Only a question asking who someone was.
    darwin = "What is natural selection, and how did Charles Darwin explain it?"
    wallace = "Alfred Russel Wallace was an English naturalist and explorer."
    assert another_person(wallace, darwin) is None


def test_a_definition_of_another_person_is_off_a_question_on_what_someone_did() -> None:
    # A trial report printed *Alfred Nobel*'s definition under "Why did Hans Krebs receive
    # the Nobel Prize?".
    krebs = "What did Hans Krebs discover, and why did he receive the Nobel Prize?"
    nobel = "Alfred Bernhard Nobel was a Swedish chemist, inventor, engineer, and businessman."
    assert another_person(nobel, krebs) == "Alfred Bernhard Nobel"
    own = "Sir Hans Adolf Krebs, FRS was a German-British biologist, physician and biochemist."
    assert another_person(own, krebs, "Hans Krebs (biochemist)") is None
    # Not when a part asks who (the answer may be someone else's definition), nor when the
    # subject is no one's name.
    assert another_person(nobel, "What did Hans Krebs discover, and who did he work with?") is None
    khufu = (
        "Khufu was an ancient Egyptian monarch who was the second pharaoh of the Fourth Dynasty."
    )
    assert another_person(khufu, "How did the Egyptians build the Great Pyramid of Giza?") is None
    assert another_person(khufu, "What did the Maya build?") is None
    halley = "Edmond Halley was an English astronomer, mathematician and physicist."
    assert (
        another_person(halley, "When does Halley's Comet return, and when was it last seen?")
        is None
    )
    # Nor someone the question names: Edison is asked about too.
    tesla = "What did Nikola Tesla invent, and why did he fall out with Thomas Edison?"
    edison = "Thomas Alva Edison was an American inventor and businessman."
    assert another_person(edison, tesla) is None


def test_the_page_of_the_kind_a_named_subject_is_one_of_is_another_topic() -> None:
    # A trial report answered how the Great Rift Valley formed with *Valley*'s erosion.
    question = "What is the Great Rift Valley, and how did it form?"
    valley = (
        "A valley is an elongated low area often running between hills or mountains. Most "
        "valleys are formed by erosion of the land surface by rivers or streams."
    )
    assert general_kind("Valley", valley, question) == "Great Rift Valley"
    assert (
        another_topic("Valley", valley, question)
        == "a page on the kind, not on 'Great Rift Valley'"
    )
    park = "What is Yellowstone National Park known for?"
    national = "A national park is a nature park designated for conservation purposes."
    assert general_kind("National park", national, park) == "Yellowstone National Park"
    canal = "When was the Suez Canal opened, and why is it important for trade?"
    assert general_kind("Canal", "Canals are waterways.", canal) == "Suez Canal"
    # A compound of common words is a kind itself: its head's page is read.
    cyclone = "What is a tropical cyclone, and how does it form?"
    assert general_kind("Cyclone", "A cyclone is a large air mass.", cyclone) is None
    waves = "How are tsunamis different from ordinary ocean waves?"
    assert general_kind("Wave", "A wave is a disturbance.", waves) is None
    # Another sense of the head is turned away as well.
    kuiper = "What is the Kuiper belt, and what objects does it contain?"
    assert general_kind("Belt (clothing)", "A belt is worn at the waist.", kuiper) == "Kuiper belt"
    # The kind's page that names the thing asked about is read; so is the thing's own page,
    # and a word the question asks about itself.
    rift = valley + " The Great Rift Valley is the longest rift valley."
    assert general_kind("Valley", rift, question) is None
    assert general_kind("Great Rift Valley", valley, question) is None
    assert general_kind("Lightning", "Lightning is a discharge.", "What causes lightning?") is None


def test_another_kind_or_sense_of_the_subject_is_another_topic() -> None:
    # A trial report on inflation printed the definition of cosmic inflation.
    question = "What causes inflation, and how do central banks control it?"
    cosmic = (
        "In physical cosmology, cosmic inflation is a theory of exponential expansion of "
        "space in the very early universe."
    )
    assert another_kind("Cosmic inflation", cosmic, question) == "inflation"
    assert another_topic("Cosmic inflation", cosmic, question) is not None
    # A kind that says something else the question asks about is read ("central banks").
    money = "Monetary inflation is a rise in the money supply that central banks steer."
    assert another_kind("Monetary inflation", money, question) is None
    # The subject's own page, a page the question names, a page whose text is not at hand.
    own = "In economics, inflation is an increase in the average price of goods."
    assert another_kind("Inflation", own, question) is None
    water = "How does the water cycle work, and what role does the ocean play in it?"
    menstrual = "The menstrual cycle is a series of natural changes in hormone production."
    assert another_kind("Menstrual cycle", menstrual, water) == "water cycle"
    assert another_kind("Water cycle", "The water cycle is the motion of water.", water) is None
    assert another_kind("Menstrual cycle", "", water) is None
    # The subject itself with a qualifier is left alone: often the only page on it.
    dune = "Dune is a 1965 epic science fiction novel by Frank Herbert."
    assert another_kind("Dune (novel)", dune, "Why is Dune important?") is None
    # A kind sharing a modifier of a multi-word subject bears on it.
    immune = "How does the immune system recognize pathogens?"
    lymph = "The lymphatic system is an organ system that is part of the immune system."
    assert another_kind("Lymphatic system", lymph, immune) is None
    # "Work" is no word a kind shares with "How does X work?" (a trial report on the jet
    # engine read *Steam engine* and printed how it pushes its piston).
    jet = "How does a jet engine work?"
    steam = "A steam engine is a heat engine that performs mechanical work using steam."
    assert another_kind("Steam engine", steam, jet) == "jet engine"
    rocket = "A rocket engine ejects a high-speed jet of high-temperature gas."
    assert another_kind("Rocket engine", rocket, jet) is None
    # What happened to the subject, or its story, is no other kind of it (a trial report on
    # the Titanic turned *Sinking of the Titanic* away and declared both parts); a name with
    # "of" in it still is.
    titanic = "When did the Titanic sink, and what caused it?"
    sank = "RMS Titanic sank in the North Atlantic Ocean on 15 April 1912."
    assert another_kind("Sinking of the Titanic", sank, titanic) is None
    cancer = "What is cancer, and what causes it?"
    tropic = "The Tropic of Cancer is the northernmost circle of latitude on Earth."
    assert another_kind("Tropic of Cancer", tropic, cancer) == "cancer"


async def test_the_focus_reads_each_side_of_a_comparison_as_a_part() -> None:
    # A trial report on a virus and a bacterium dropped both sentences of *Bacteria* as far
    # from the focus of the virus's.
    relevance = load_relevance("minilm")
    question = "What is the difference between a virus and a bacterium?"
    virus, bacteria = await relevance.focus(
        [
            "A virus is a submicroscopic infectious agent that replicates inside living cells.",
            "The study of bacteria is known as bacteriology, a branch of microbiology.",
        ],
        question,
    )
    parts_only = await relevance.amatrix(
        ["The study of bacteria is known as bacteriology, a branch of microbiology."],
        [question, question],
    )
    assert bacteria > float(parts_only[0][0] + parts_only[0][1])
    assert virus - bacteria < 0.3  # within the body's margin of the best


def test_another_thing_called_by_the_name_s_modifier_is_another_topic() -> None:
    # A trial report on the Amazon River printed the rainforest's definition.
    question = "What is the Amazon River, and how long is it?"
    rainforest = (
        "The Amazon rainforest is a moist broadleaf tropical rainforest in the Amazon biome "
        "that covers most of the Amazon basin of South America."
    )
    assert another_of_name("Amazon rainforest", rainforest, question) == "Amazon River"
    assert another_topic("Amazon rainforest", rainforest, question) is not None
    # Read: the page that names the river, the kind (the head), the name itself, a page that
    # says something else the question asks about.
    names_it = "The Amazon rainforest is drained by the Amazon River."
    assert another_of_name("Amazon rainforest", names_it, question) is None
    assert another_of_name("River", "A river is a natural stream of water.", question) is None
    assert another_of_name("Amazon River", "The Amazon River in South America.", question) is None
    long = "The Amazon basin is long and wide."
    assert another_of_name("Amazon basin", long, question) is None
    # A possessive is the name ("the Industrial Revolution's effect on cities").
    cities = "What was the Industrial Revolution's effect on cities?"
    revolution = "The Industrial Revolution was a transitional period of the global economy."
    assert another_of_name("Industrial Revolution", revolution, cities) is None
    assert another_of_name("Industrial design", "Industrial design is a process.", cities)


def test_another_instance_is_defined_as_the_same_kind_and_never_names_the_page() -> None:
    morocco = (
        "Morocco",
        "Morocco, officially the Kingdom of Morocco, is a country in the "
        "Maghreb region of North Africa.",
    )
    tunisia = "Tunisia, officially the Republic of Tunisia, is a country in the Maghreb region."
    assert defined_kind(tunisia) == "country"
    assert another_instance("Tunisia", tunisia, [morocco]) == "Morocco"
    # A page that names the one asked about is read: Wallace's names Darwin.
    darwin = ("Charles Darwin", "Charles Robert Darwin was an English naturalist.")
    wallace = (
        "Alfred Russel Wallace was a British naturalist who prompted Charles Darwin to publish."
    )
    assert another_instance("Alfred Russel Wallace", wallace, [darwin]) is None
    # Another kind is another topic's business, and a generic kind says nothing.
    assert another_instance("Rabat", "Rabat is the capital city of Morocco.", [morocco]) is None
    assert defined_kind("Chess is a type of board game.") is None


def test_a_rank_among_a_kind_defines_the_kind() -> None:
    # A trial report on the Late Ordovician extinction read the Late Devonian's page, "a
    # mass extinction event", and printed its toll: the Ordovician's page defines it as
    # "the first of the … events", which had read as a kind "first".
    ordovician = (
        "Late Ordovician mass extinction",
        'The Late Ordovician mass extinction (LOME) is the first of the "big five" major mass '
        "extinction events in Earth's history, occurring roughly 445 million years ago.",
    )
    devonian = (
        "The Late Devonian mass extinction, also known as the Kellwasser event, was a mass "
        "extinction event which occurred around 372.15 million years ago."
    )
    assert defined_kind(ordovician[1]) == "event"
    assert defined_kind("Harun al-Rashid was the fifth of the Abbasid caliphs.") == "caliph"
    assert another_instance("Late Devonian mass extinction", devonian, [ordovician]) == (
        "Late Ordovician mass extinction"
    )
    # A noun ending as a superlative does is no rank (a review's examples).
    assert defined_kind("Zadok was a priest of the Temple in Jerusalem.") == "priest"
    assert defined_kind("Sherwood Forest is a royal forest of Nottinghamshire.") == "forest"
    # A rank of a named kind is that kind ("king" had read as a participle).
    assert defined_kind("Alaric I was the first king of the Visigoths.") == "king"


def test_another_instance_of_the_kind_the_subjects_name_ends_on() -> None:
    # A trial report on the Atacama Desert, "a desert plateau", printed the Sahara's size.
    atacama = ("Atacama Desert", "The Atacama Desert is a desert plateau on the Pacific coast.")
    sahara = "The Sahara is a desert spanning North Africa."
    assert another_instance("Sahara", sahara, [atacama]) == "Atacama Desert"
    league = ("Hanseatic League", "The Hanseatic League was a medieval commercial network.")
    baseball = "Major League Baseball is a professional baseball league in North America."
    assert another_instance("Major League Baseball", baseball, [league]) == "Hanseatic League"
    # One word names no kind; nor does a last word that is no common noun.
    assert another_instance("Sahara", sahara, [("Atacama", "Atacama is a region.")]) is None
    assert another_instance("Gobi", "Gobi is a desert.", [("Leonardo da Vinci", "x")]) is None


def test_the_subjects_pages_are_the_longest_it_names_and_none_for_two_things() -> None:
    pages = [("Cold War", "x"), ("War", "y"), ("Moon", "z")]
    assert subject_pages("What was the Cold War, and who were the two sides?", pages) == [
        ("Cold War", "x")
    ]
    # "… who first landed on the Moon?" names the Moon, but the Space Race is the subject.
    assert subject_pages("What was the Space Race, and who first landed on the Moon?", pages) == []
    relativity = [("General relativity", "x"), ("Special relativity", "y")]
    question = "What is the difference between special and general relativity?"
    assert subject_pages(question, relativity) == []


def test_of_namesakes_the_page_without_a_qualifier_is_the_subject_s() -> None:
    # A trial report on Jupiter's moons read *Jupiter (god)* beside *Jupiter*; each names
    # the other, and the subject had no page.
    pages = [("Jupiter (god)", "x"), ("Jupiter", "y"), ("Saturn", "z")]
    assert subject_pages("How many moons does Jupiter have?", pages) == [("Jupiter", "y")]
    namesakes = [("Mercury (planet)", "x"), ("Mercury (element)", "y")]
    assert subject_pages("How hot is Mercury?", namesakes) == []


def test_a_page_the_subject_names_word_for_word_over_one_it_names_by_stem() -> None:
    # "Ganges" and "Gang" share the stem "gang"; a trial report on the Ganges read both.
    pages = [("Gang", "x"), ("Ganges", "y"), ("Yamuna", "z")]
    assert subject_pages("Why is the Ganges sacred?", pages) == [("Ganges", "y")]
    # A plural subject still names its page in the singular.
    assert subject_pages("What killed the dinosaurs?", [("Dinosaur", "x")]) == [("Dinosaur", "x")]


def test_the_definition_of_the_kind_the_subject_is_one_of() -> None:
    # The dev split's *Cyclone* definition, after the field it is in, was labelled off topic.
    assert supertype_definition(
        "In meteorology, a cyclone is a large air mass that rotates around a strong center of "
        "low atmospheric pressure.",
        "Cyclone",
        "What is a tropical cyclone, and what is the difference between a hurricane and a typhoon?",
    )
    assert supertype_definition(
        "A sea is a large body of salt water.", "Sea", "What is the Dead Sea, and why is it salty?"
    )
    # Not a definition, or the page of the thing asked about: left to the other checks.
    question = "What is a tropical cyclone?"
    assert not supertype_definition("Cyclones are characterized by winds.", "Cyclone", question)
    assert not supertype_definition("A galaxy is a system.", "Galaxy", "What is a galaxy?")


def test_the_subjects_thing_on_another_subjects_page_is_that_subjects() -> None:
    # A trial report printed Elephant's tusks as the answer to how walruses use theirs.
    question = "How do walruses use their tusks, and where do they live?"
    elephant = (
        "Tusks, which are derived from the incisor teeth, serve both as weapons and as tools "
        "for moving objects and digging."
    )
    assert another_possessor(elephant, "Elephant", question) == "walruses"
    # Kept: the subject named, or a page on the thing itself.
    assert another_possessor("Walruses use their tusks to haul out.", "Elephant", question) is None
    assert (
        another_possessor("Tusks are elongated, continuously growing teeth.", "Tusk", question)
        is None
    )
    # The possessive's modifiers are passed over: "its most famous collection" asks of a
    # collection, not of whatever is "most" anything.
    asked = "What is a haiku, and what is its most famous collection?"
    assert another_possessor("The most famous rhymes are short.", "Rhyme", asked) is None
    assert another_possessor("The collection was printed in 1694.", "Rhyme", asked) == "a haiku"
    # A page on the thing itself is kept, past the question's other words ("their nest from
    # predators"); a name's "its" may point at another thing than the name.
    nest = "How do birds protect their nest from predators?"
    assert another_possessor("Some species build nests in tree cavities.", "Nest", nest) is None
    curie = "What did Marie Curie discover, and what were its effects on medicine?"
    radium = "Radium had early effects on medicine."
    assert another_possessor(radium, "Radiation therapy", curie) is None
    # A "who" part is answered on the person's own page, which need not name the subject.
    assert (
        another_possessor(
            "Matsuo Bashō was the most famous Japanese poet of the Edo period.",
            "Matsuo Bashō",
            "What is a haiku, and who was its most famous poet?",
        )
        is None
    )


def test_the_common_noun_of_a_works_title_is_another_topic() -> None:
    # A trial report gave the definition of a kiss as what the sources say of the painting.
    question = "Who painted The Kiss, and what style is it painted in?"
    kiss = "A kiss is the touching or pressing of one's lips against another person."
    assert common_noun("Kiss", kiss, question) == "The Kiss"
    assert another_topic("Kiss", kiss, question) == "the common noun, not the work 'The Kiss'"
    # The work's own page, and the common noun asked about, are kept.
    painting = "The Kiss is an oil-on-canvas painting by the Austrian painter Gustav Klimt."
    assert common_noun("The Kiss", painting, question) is None
    assert common_noun("Kiss", kiss, "Why do people kiss, and where did kissing begin?") is None


def test_the_asked_persons_own_page_names_them_by_their_last_name() -> None:
    part = "Who was Lucille Ball?"
    assert on_the_asked_persons_page("Ball was nominated for 13 Emmy Awards.", "Lucille Ball", part)
    assert not on_the_asked_persons_page("Desi Arnaz was a bandleader.", "Lucille Ball", part)
    assert not on_the_asked_persons_page("Ball was nominated.", "I Love Lucy", part)
    assert not on_the_asked_persons_page(
        "Ball was nominated.", "Lucille Ball", "Why was she famous?"
    )
    # A last name the page also writes as a common word: only the whole name is the person.
    page = "Louis Braille was a French educator who invented braille."
    said = "Braille can be read on embossed paper."
    assert not on_the_asked_persons_page(said, "Louis Braille", "Who was Louis Braille?", page)
    said = "Louis Braille was blinded in an accident as a child."
    assert on_the_asked_persons_page(said, "Louis Braille", "Who was Louis Braille?", page)


def test_why_someone_did_something_is_said_of_them() -> None:
    # A trial report answered this part with the Nobel Prize's and Alfred Nobel's sentences.
    part = "Why did Hans Krebs receive the Nobel Prize?"
    dynamite = "Nobel is known for inventing dynamite."
    assert reasons_of_another(dynamite, "Alfred Nobel", part)
    assert not reasons_of_another("Its discovery earned Krebs a Nobel Prize.", "Krebs cycle", part)
    assert not reasons_of_another("He was a pioneer.", "Hans Krebs (biochemist)", part)
    # Not how (dev q39's Reformation page answers how Luther started it), nor a subject that
    # is no one's name.
    assert not reasons_of_another(dynamite, "Alfred Nobel", "How did Hans Krebs win it?")
    assert not reasons_of_another(dynamite, "Alfred Nobel", "Why did the Roman Empire fall?")


def test_the_review_s_counterexamples_to_the_person_rules() -> None:
    # No one's name: a country exporting, a state acting; a when-part asks no deed.
    auckland = "Auckland is a large metropolitan city in the North Island of New Zealand."
    assert another_person(auckland, "What does New Zealand export?") is None
    himmler = "Heinrich Luitpold Himmler was a German Nazi politician."
    assert another_person(himmler, "What did Nazi Germany do?") is None
    # A definition naming the person asked about is of their work.
    karenina = (
        "Anna Karenina is a novel, first published in book form in 1878, by the Russian "
        "author Leo Tolstoy."
    )
    assert another_person(karenina, "What did Leo Tolstoy write, and where was he born?") is None
    # A possessive names the person; a suffix is no last name.
    why = "Why did Hans Krebs receive the Nobel Prize?"
    krebs = "Krebs's discovery of the citric acid cycle earned the 1953 prize."
    assert not reasons_of_another(krebs, "Citric acid cycle", why)
    king = "Why did Martin Luther King Jr. receive the Nobel Peace Prize?"
    assert not reasons_of_another("The prize went to King for his campaign.", "Prize", king)
    page = "Lucille Ball was an American comedian."
    ball = "Ball's sitcom I Love Lucy ran for six seasons."
    assert on_the_asked_persons_page(ball, "Lucille Ball", "Who was Lucille Ball?", page)
    # An auxiliary is no part of a name but at a question's start.
    films = "What films did Will Smith star in?"
    assert part_of_name("Will", "Will is a legal document.", films) == "Will Smith"


def test_a_page_qualified_by_another_name_than_the_question_gives_is_another_topic() -> None:
    # A trial report on the Eastern Front of World War I opened on the Second World War's.
    question = "What is the Eastern Front of World War I known for?"
    assert another_qualifier("Eastern Front (World War II)", question) == (
        "Eastern Front of World War I"
    )
    assert another_qualifier("Eastern Front (World War I)", question) is None
    assert another_qualifier("Eastern Front", question) is None
    # Its qualifier a longer namesake of the name's own: another war's front.
    assert another_qualifier("Western Front (World War II)", question) == (
        "Eastern Front of World War I"
    )
    venice = "What was the Republic of Venice, and when did it end?"
    assert another_qualifier("Republic (Plato)", venice) == "Republic of Venice"


def test_a_page_the_subjects_own_lead_names_is_no_other_instance() -> None:
    # A review's examples: "sultan" and "city", the kinds the names end on, had turned away
    # the husband *Suleiman the Magnificent* and *Beijing*, both named by the subject's lead.
    hurrem = ("Hürrem Sultan", "Hürrem Sultan was the chief consort of Suleiman the Magnificent.")
    suleiman = "Suleiman the Magnificent was the tenth and longest-reigning sultan."
    assert another_instance("Suleiman the Magnificent", suleiman, [hurrem]) is None
    city = ("Forbidden City", "The Forbidden City is the imperial palace complex in Beijing.")
    assert another_instance("Beijing", "Beijing is the capital city of China.", [city]) is None


def test_a_longer_name_the_question_gives_is_no_other_bearer() -> None:
    magdalene = "Mary Magdalene was a woman who travelled with Jesus."
    question = "Who was Mary, mother of Jesus, and how does she differ from Mary Magdalene?"
    assert another_person(magdalene, question, "Mary Magdalene") is None
