import pytest

from lyceum.research.part_subject import (
    asked_definition,
    place_of_there,
    scored_part,
    standalone_part,
    subject,
)
from lyceum.research.parts import question_parts


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "What causes tsunamis, how are they different from ordinary ocean waves, and how "
            "are they detected before they reach the coast?",
            [
                "What causes tsunamis?",
                "How are tsunamis different from ordinary ocean waves?",
                "How are tsunamis detected before they reach the coast?",
            ],
        ),
        (
            "How is malaria transmitted, how is it treated, and is there a vaccine against it?",
            [
                "How is malaria transmitted?",
                "How is malaria treated?",
                "Is there a vaccine against malaria?",
            ],
        ),
        (
            "How do vaccines work and what limits their effectiveness?",
            ["How do vaccines work?", "What limits vaccines' effectiveness?"],
        ),
        (
            "What is a black hole, and what is its event horizon?",
            ["What is a black hole?", "What is a black hole's event horizon?"],
        ),
        (
            "How do neutron stars form, and what are pulsars?",
            ["How do neutron stars form?", "What are pulsars?"],
        ),
        # "they" for "a black hole" are black holes (a report had headed a section "How are
        # a black hole detected?").
        (
            "What is a black hole, and how are they detected?",
            ["What is a black hole?", "How are black holes detected?"],
        ),
        # The head of "a ship of the line" is "ship" (a trial report headed a section "When
        # were ship of the lines used?").
        (
            "What was a ship of the line, and when were they used?",
            ["What was a ship of the line?", "When were ships of the line used?"],
        ),
        # "most of them" for a plural is "most …" (a trial report had headed a section
        # "Where do most of earthquakes occur?"); "which of the …" keeps its "of".
        (
            "What are coral reefs, and where are most of them found?",
            ["What are coral reefs?", "Where are most coral reefs found?"],
        ),
        (
            "What is a black hole, and how many of them are there?",
            ["What is a black hole?", "How many black holes are there?"],
        ),
        (
            "What are the Great Lakes, and which of them is largest?",
            ["What are the Great Lakes?", "Which of the Great Lakes is largest?"],
        ),
        # A person asked "who" about: a trial report listed "Why was she executed?" as not
        # covered and headed its section so.
        (
            "Who was Joan of Arc, and why was she executed?",
            ["Who was Joan of Arc?", "Why was Joan of Arc executed?"],
        ),
        (
            "Who was Alexander the Great, and how large was his empire?",
            ["Who was Alexander the Great?", "How large was Alexander the Great's empire?"],
        ),
        (
            "Who was Marie Curie, and what was her greatest discovery?",
            ["Who was Marie Curie?", "What was Marie Curie's greatest discovery?"],
        ),
        (
            "Who was Joan of Arc, and who betrayed her?",
            ["Who was Joan of Arc?", "Who betrayed Joan of Arc?"],
        ),
        # "there" on a planet is "on" it (a trial report headed "Could humans live in Mars?").
        (
            "What is Mars like, and could humans live there?",
            ["What is Mars like?", "Could humans live on Mars?"],
        ),
        (
            "What is Hamlet about, and when was it written?",
            ["What is Hamlet about?", "When was Hamlet written?"],
        ),
        # "the first one" is one of the subject (a trial report headed "Who built the first
        # one?").
        (
            "How do telescopes work, and who built the first one?",
            ["How do telescopes work?", "Who built the first telescope?"],
        ),
        (
            "What are galaxies, and which is the largest one?",
            ["What are galaxies?", "Which is the largest galaxy?"],
        ),
        (
            "What is a tsunami, and what was the deadliest one?",
            ["What is a tsunami?", "What was the deadliest tsunami?"],
        ),
        # A person the question names first, asked "what" or "how" about (a trial report
        # headed "Why did he fall out with Thomas Edison?"); not a thing, nor the answer to
        # "who invented …".
        (
            "What did Nikola Tesla invent, and why did he fall out with Thomas Edison?",
            ["What did Nikola Tesla invent?", "Why did Nikola Tesla fall out with Thomas Edison?"],
        ),
        # "it" after "What did <person> <verb>" is what the person made, never the person
        # (a trial report headed "Why was Nicolaus Copernicus controversial?").
        (
            "What did Nicolaus Copernicus propose, and why was it controversial?",
            [
                "What did Nicolaus Copernicus propose?",
                "Why was Nicolaus Copernicus' proposal controversial?",
            ],
        ),
        (
            "What did Nikola Tesla invent, and how does it work?",
            ["What did Nikola Tesla invent?", "How does Nikola Tesla's invention work?"],
        ),
        # A clause ending on an uncommon verb ends the subject there (a trial report headed
        # "Why did the Maya decline?").
        (
            "When did the Maya civilization flourish, and why did it decline?",
            [
                "When did the Maya civilization flourish?",
                "Why did the Maya civilization decline?",
            ],
        ),
        # A place preposition is not part of the subject (a trial report headed "When did
        # on the Apollo 11 mission land on the Moon?").
        (
            "Who was on the Apollo 11 mission, and when did it land on the Moon?",
            [
                "Who was on the Apollo 11 mission?",
                "When did the Apollo 11 mission land on the Moon?",
            ],
        ),
        (
            "Where was Mozart born, and what did he compose?",
            ["Where was Mozart born?", "What did Mozart compose?"],
        ),
        (
            "What is the Mona Lisa, and why did he paint it?",
            ["What is the Mona Lisa?", "Why did he paint the Mona Lisa?"],
        ),
        (
            "Who invented the telephone, and when did he die?",
            ["Who invented the telephone?", "When did he die?"],
        ),
        # "one" after an auxiliary is one of an indefinite subject (a trial report's heading
        # read "How often does one occur?"); the generic "one" beside another pronoun stays.
        (
            "What is a solar eclipse, and how often does one occur?",
            ["What is a solar eclipse?", "How often does a solar eclipse occur?"],
        ),
        (
            "What is a solar eclipse, and how can one see it?",
            ["What is a solar eclipse?", "How can one see a solar eclipse?"],
        ),
        (
            "What is the Moon, and how often does one see it?",
            ["What is the Moon?", "How often does one see the Moon?"],
        ),
        # "one" ending the part after a preposition (a trial report headed "What happens
        # after one?").
        (
            "What is a supernova, and what happens after one?",
            ["What is a supernova?", "What happens after a supernova?"],
        ),
        (
            "What is a compound eye, and which animals have one?",
            ["What is a compound eye?", "Which animals have a compound eye?"],
        ),
        # "the most famous ones" are of the subject, in the plural (a trial report's heading).
        (
            "What is a symphony, and who wrote the most famous ones?",
            ["What is a symphony?", "Who wrote the most famous symphonies?"],
        ),
        (
            "When was the printing press invented, and by whom?",
            ["When was the printing press invented?", "By whom was the printing press invented?"],
        ),
        (
            "What are the symptoms of malaria, and how is it prevented?",
            ["What are the symptoms of malaria?", "How is malaria prevented?"],
        ),
        # A yes/no first part has a subject too (a trial report headed "Why was it
        # reclassified?"); "it" is not the subject of a plural "do".
        (
            "Is Pluto a planet, and why was it reclassified?",
            ["Is Pluto a planet?", "Why was Pluto reclassified?"],
        ),
        (
            "Are viruses alive, and how do they reproduce?",
            ["Are viruses alive?", "How do viruses reproduce?"],
        ),
        (
            "Is the Great Wall of China visible from space, and when was it built?",
            [
                "Is the Great Wall of China visible from space?",
                "When was the Great Wall of China built?",
            ],
        ),
        (
            "Do black holes emit Hawking radiation, and how was it predicted?",
            ["Do black holes emit Hawking radiation?", "How was it predicted?"],
        ),
    ],
)
def test_a_part_names_the_subject_its_pronoun_points_at(question: str, expected: list[str]) -> None:
    assert [standalone_part(p, question) for p in question_parts(question)] == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # The verb comes first: the subject is its object, never "triggered World War I".
        ("What triggered World War I, and how did it end?", "How did World War I end?"),
        # "What do X do": the clause ends on its verb, however long the subject.
        (
            "What do red blood cells do, and how long do they live?",
            "How long do red blood cells live?",
        ),
        (
            "Who invented the printing press, and how did it change Europe?",
            "How did the printing press change Europe?",
        ),
        # "When and where ... begin": the compound opener is not the subject.
        (
            "When and where did the Industrial Revolution begin, and what role did the steam "
            "engine play in it?",
            "What role did the steam engine play in the Industrial Revolution?",
        ),
        # A name before the verb; a common verb where the subject is not a name.
        (
            "How did Martin Luther start the Reformation, and what did it challenge?",
            "What did Martin Luther challenge?",
        ),
        (
            "How does the immune system recognize pathogens, and how does it remember them?",
            "How does the immune system remember them?",
        ),
        # "the structure of DNA ... how is it copied": DNA is copied.
        ("What is the structure of DNA, and how is it copied?", "How is DNA copied?"),
        ("What is an atom made of, and how big is it?", "How big is an atom?"),
        ("What is Venus like, and why is it so hot?", "Why is Venus so hot?"),
        ("What is the capital of France, and how big is it?", "How big is the capital of France?"),
        # A lone question word, and "when did it happen" about the event itself.
        (
            "Who built the Great Pyramid of Giza, when, and how long did it take?",
            "When was the Great Pyramid of Giza built?",
        ),
        (
            "Why did the Western Roman Empire fall, and when did it happen?",
            "When did the Western Roman Empire fall?",
        ),
        (
            "What happened at Chernobyl, and what were its consequences?",
            "What were Chernobyl's consequences?",
        ),
        # Whose fate is asked is the subject (a trial report's background had read "What
        # they say of to Amelia Earhart").
        (
            "What happened to Amelia Earhart, and why is she famous?",
            "Why is Amelia Earhart famous?",
        ),
        (
            "What was decided at the Yalta Conference, and who attended it?",
            "Who attended the Yalta Conference?",
        ),
        # A species' name goes on in lower case; an adverb does not belong to a name.
        (
            "When did Homo erectus live, and where were its fossils found?",
            "Where were Homo erectus' fossils found?",
        ),
        ("How did Rome quickly grow, and why did it fall?", "Why did Rome fall?"),
        # A name's lower-case noun up to a verb of ruling (a trial report headed "What is the
        # Han known for?" and printed the namesakes Han Yu and Han Fei).
        (
            "When did the Han dynasty rule China, and what is it known for?",
            "What is the Han dynasty known for?",
        ),
        # A count whose noun is left out counts the plural subject; "are there" is no place.
        (
            "Where do lions live, and how many are left in the wild?",
            "How many lions are left in the wild?",
        ),
        ("What is the Moon, and how many are there?", "How many are there?"),
        # A closing "there" after an indefinite subject is "in" it.
        ("What is a marsh, and which animals live there?", "Which animals live in a marsh?"),
        # A plural pronoun after a singular yes/no subject is what the first part ends on.
        (
            "Does Saturn have rings, and what are they made of?",
            "What are Saturn's rings made of?",
        ),
        (
            "Does Saturn emit radio waves, and how are they produced?",
            "How are radio waves produced?",
        ),
        # "it" is what was done to the subject (a trial report headed "When did Pompeii
        # happen?"), unless the verb names the subject as the event's cause.
        ("What destroyed Pompeii, and when did it happen?", "When was Pompeii destroyed?"),
        (
            "What caused the Black Death, and when did it happen?",
            "When did the Black Death happen?",
        ),
        # A short clause before a preposition ends on its verb (a trial report on bats
        # found no subject and gave no background).
        (
            "How do bats navigate in the dark, and what do they eat?",
            "What do bats eat?",
        ),
        # "do it" repeats the first part's verb (a trial report headed "Why do birds do it?").
        ("How do birds migrate, and why do they do it?", "Why do birds migrate?"),
        # What affects is the subject a first part defines (a trial report headed "Which
        # countries are most affected?").
        (
            "What is malaria, and which countries are most affected?",
            "Which countries are most affected by malaria?",
        ),
        (
            "What is a tsunami, and which coasts are hardest hit?",
            "Which coasts are hardest hit by tsunamis?",
        ),
        ("What is cholera, and who is most at risk?", "Who is most at risk of cholera?"),
        (
            "How do hurricanes form, and which areas are most affected?",
            "Which areas are most affected by hurricanes?",
        ),
        # A verb of no common list ends the subject too (a trial report headed "Who developed
        # the first vaccines prevent?").
        (
            "How do vaccines prevent disease, and who developed the first one?",
            "Who developed the first vaccine?",
        ),
    ],
)
def test_the_subject_is_read_from_the_form_of_the_question(question: str, expected: str) -> None:
    assert standalone_part(question_parts(question)[1], question) == expected


@pytest.mark.parametrize(
    "question",
    [
        # A noun after the question word: no form shows the subject, so no guess.
        "Which gases contribute most to warming, and how do they trap heat?",
        "What role does chlorophyll play, and where is it made?",
    ],
)
def test_a_part_whose_subject_the_form_does_not_show_is_left_as_asked(question: str) -> None:
    part = question_parts(question)[1]
    assert subject(question) is None
    assert standalone_part(part, question) == part


def test_a_lone_question_word_is_made_a_question_only_from_a_known_participle() -> None:
    assert standalone_part("When?", "Who ruled the Mongols, and when?") == (
        "When were the Mongols ruled?"
    )
    # "ran" has no participle Lyceum knows ("run"): "When was the empire ran?" is worse than
    # the part as asked.
    assert standalone_part("When?", "Who ran the Mongol Empire, and when?") == "When?"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "What is the Great Wall of China, when was it built, and why?",
            "Why was the Great Wall of China built?",
        ),
        ("What is Stonehenge, who built it, and why?", "Why was Stonehenge built?"),
        # After the first part, as before: there is no other part to ask it of.
        ("Who built Stonehenge, and why?", "Why was Stonehenge built?"),
    ],
)
def test_a_lone_question_word_asks_it_of_the_part_just_before(question: str, expected: str) -> None:
    assert standalone_part(question_parts(question)[-1], question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "When did the Berlin Wall fall, and what led to it?",
            "What led to the fall of the Berlin Wall?",
        ),
        (
            "When did the Titanic sink, and what caused it?",
            "What caused the sinking of the Titanic?",
        ),
        (
            "When did the dinosaurs die out, and what caused it?",
            "What caused the extinction of the dinosaurs?",
        ),
        (
            "When did the Soviet Union collapse, and why did it happen?",
            "Why did the collapse of the Soviet Union happen?",
        ),
        # "it" is the thing, not what happened to it.
        (
            "When did the Titanic sink, and how many people died on it?",
            "How many people died on the Titanic?",
        ),
        # The subject is an event: "it" may be the war itself.
        ("When did World War II end, and what caused it?", "What caused World War II?"),
    ],
)
def test_it_after_what_happened_to_the_subject_is_the_happening(
    question: str, expected: str
) -> None:
    assert standalone_part(question_parts(question)[1], question) == expected


def test_a_part_without_words_of_its_own_is_scored_as_it_reads_alone() -> None:
    pyramid = "Who built the Great Pyramid of Giza, when, and how long did it take?"
    assert scored_part("When?", pyramid) == "When was the Great Pyramid of Giza built?"
    rome = "Why did the Western Roman Empire fall, and when did it happen?"
    assert scored_part("When did it happen?", rome) == "When did the Western Roman Empire fall?"
    # A part asking for an amount with no distinctive words: only sentences carrying an
    # amount can answer it, so the subject added does not make every sentence score alike
    # (the dev report's "... built c. 2600 BC over a period of about 26 years" scored 0.15
    # for "How long did it take?" and the part was declared not covered).
    assert scored_part("How long did it take?", pyramid) == (
        "How long did the Great Pyramid of Giza take?"
    )
    # Nor without one: "caused" is generic, so "What caused it?" has no words of its own (the
    # dev report read "The disease was caused by the bacterium Yersinia pestis" and declared
    # the part not covered).
    black_death = "What was the Black Death, what caused it, and how many people did it kill?"
    assert scored_part("What caused it?", black_death) == "What caused the Black Death?"
    # One word of its own and a pronoun for the subject: the word alone matches any
    # treatment, so the part is read with its subject.
    malaria = "How is malaria transmitted, how is it treated, and is there a vaccine against it?"
    assert scored_part("How is it treated?", malaria) == "How is malaria treated?"
    # "become" and "get" are no words of a part's own: "How large did it become?" is read
    # with its subject (a trial report scored "The Mongol Empire was the largest contiguous
    # empire in history" 0.19 against it and declared the part).
    mongol = "Who founded the Mongol Empire, and how large did it become?"
    assert scored_part("How large did it become?", mongol) == (
        "How large did the Mongol Empire become?"
    )
    # Nor is "one" standing for the subject (the supernova report declared "What happens
    # after a supernova?" beside "The original object … either collapses to a neutron star
    # or black hole …").
    supernova = "What is a supernova, and what happens after one?"
    assert scored_part("What happens after one?", supernova) == "What happens after a supernova?"
    # Two words of its own ("people", "kill") are scored on their own.
    assert scored_part("How many people did it kill?", black_death) == (
        "How many people did it kill?"
    )
    # A part with words of its own is scored on them, not on the subject as well.
    vaccines = "How do vaccines work, and what limits their effectiveness?"
    assert scored_part("What limits their effectiveness?", vaccines) == (
        "What limits their effectiveness?"
    )


def test_a_part_that_asks_only_what_something_is() -> None:
    assert asked_definition("Who was Vincent van Gogh?") == "Vincent van Gogh"
    assert asked_definition("What is a black hole") == "a black hole"
    assert asked_definition("What are pulsars?") == "pulsars"
    assert asked_definition("What is the difference between a hurricane and a typhoon?") == (
        "the difference between a hurricane and a typhoon"
    )  # a definition of no page's title: the verifier's title check turns it away
    assert asked_definition("Why was he imprisoned?") is None
    assert asked_definition("What is Venus like?") == "Venus like"  # no page is titled so
    assert asked_definition("What caused it?") is None


def test_what_makes_something_so_names_the_thing_not_its_complement() -> None:
    # A trial report's background read "What they say of the Dead Sea unusual".
    dead_sea = subject("What makes the Dead Sea unusual?")
    assert dead_sea is not None and dead_sea.noun == "the Dead Sea"
    diamond = subject("What makes a diamond so hard, and where is it mined?")
    assert diamond is not None and diamond.noun == "a diamond"
    atmosphere = subject("What makes up the atmosphere?")
    assert atmosphere is not None and atmosphere.noun == "the atmosphere"
    moon = subject("What keeps the Moon in orbit?")
    assert moon is not None and moon.noun == "the Moon in orbit"


def test_an_adverb_after_the_object_is_not_part_of_the_subject() -> None:
    # A trial report headed "How cold does Antarctica first get?".
    question = "Who explored Antarctica first, and how cold does it get?"
    assert standalone_part("how cold does it get?", question) == "how cold does Antarctica get?"


def test_a_degree_adjective_ends_a_why_subject() -> None:
    # A trial report's background read "What they say of Istanbul important to the Ottoman
    # Empire".
    for question, noun in [
        ("Why was Istanbul important to the Ottoman Empire?", "Istanbul"),
        ("Why is the Amazon rainforest important to the climate?", "the Amazon rainforest"),
    ]:
        about = subject(question)
        assert about is not None and about.noun == noun


def test_an_adjective_a_preposition_follows_ends_a_why_or_how_subject() -> None:
    # A trial report asked "What is bismuth unusual among used for?": "heavy", a degree
    # adjective, had ended the subject three words late.
    for question, noun in [
        ("Why is bismuth unusual among heavy elements?", "bismuth"),
        ("Why is Venus hotter than Mercury?", "Venus"),
        ("How are elephants different from mammoths?", "elephants"),
        ("Why are bacteria becoming resistant to it?", "bacteria"),
        # Not a noun before a preposition, nor a noun in "-er" without "than".
        ("Why is the road to Damascus famous?", "the road to Damascus"),
        ("Why is the ozone layer over Antarctica thin?", "the ozone layer over Antarctica"),
        ("Why is the Bank of England independent from government?", "the Bank of England"),
        # A review's counterexamples: a noun after an article, or in "-ing" before a
        # participle, is the subject's, and a capitalised degree word a name's.
        ("How is the building constructed?", "the building"),
        ("Why was the Boxer uprising crushed?", "the Boxer uprising"),
        ("Why was the government in Rome weak?", "the government in Rome"),
        ("Why is the metal in batteries toxic?", "the metal in batteries"),
        ("How was the Long March organised?", "the Long March"),
    ]:
        about = subject(question)
        assert about is not None and about.noun == noun, question
    question = "Why is bismuth unusual among heavy elements, and what is it used for?"
    assert standalone_part("what is it used for?", question) == "what is bismuth used for?"


def test_a_capitalised_word_ending_in_ed_is_part_of_a_name_not_a_participle() -> None:
    # A trial report headed its second section "Who wrote the?".
    question = "When was the United States Declaration of Independence adopted, and who wrote it?"
    assert standalone_part("who wrote it?", question) == (
        "who wrote the United States Declaration of Independence?"
    )
    for question, noun in [
        ("When was the United Nations founded?", "the United Nations"),
        ("Why was the Red Cross founded?", "the Red Cross"),
    ]:
        about = subject(question)
        assert about is not None and about.noun == noun, question


def test_a_participle_like_put_ends_the_subject() -> None:
    # "put" is its own participle: "Galileo Galilei put on" had been the subject.
    about = subject("Why was Galileo Galilei put on trial?")
    assert about is not None and about.noun == "Galileo Galilei"


def test_a_degree_question_names_its_subject_after_the_copula() -> None:
    # A trial report headed its second section "When did it live?".
    question = "How big was Tyrannosaurus, and when did it live?"
    assert standalone_part("When did it live?", question) == "When did Tyrannosaurus live?"
    assert standalone_part("When?", "How big was Tyrannosaurus, and when?") == "When?"
    # And a trial report's "Where does it grow?", after "How fast does bamboo grow".
    question = "How fast does bamboo grow, and where does it grow?"
    assert standalone_part("Where does it grow?", question) == "Where does bamboo grow?"


def test_a_pronoun_before_a_particle_reads_after_it() -> None:
    question = "What were the September 11 attacks, and who carried them out?"
    part = "Who carried them out?"
    assert standalone_part(part, question) == "Who carried out the September 11 attacks?"
    assert scored_part(part, question) == "Who carried out the September 11 attacks?"


def test_an_adjective_before_an_aspect_keeps_the_subject_after_it() -> None:
    # A trial report headed "What are the main causes of deforestation's effects?".
    question = "What are the main causes of deforestation, and what are its effects?"
    assert standalone_part("What are its effects?", question) == "What are deforestation's effects?"


def test_there_is_the_place_the_first_part_names() -> None:
    # A trial report answered "What languages are spoken there?" with Tunisia's language.
    question = "What is the capital of Morocco, and what languages are spoken there?"
    part = "What languages are spoken there?"
    assert standalone_part(part, question) == "What languages are spoken in Morocco?"
    assert scored_part(part, question) == "What languages are spoken in Morocco?"
    gulf = "What is the Gulf of California, and which animals live there?"
    assert standalone_part("Which animals live there?", gulf) == (
        "Which animals live in the Gulf of California?"
    )
    reef = "What is the Great Barrier Reef, and what lives there?"
    assert standalone_part("What lives there?", reef) == "What lives in the Great Barrier Reef?"
    # A kind of place heads the part, but is no place a sentence must name.
    desert = "What is a desert, and what lives there?"
    assert standalone_part("What lives there?", desert) == "What lives in a desert?"
    assert place_of_there("What lives there?", desert) is None


def test_a_how_or_why_subject_ends_before_its_participle_or_intensifier() -> None:
    assert subject("How is water purified for drinking?").noun == "water"
    assert subject("Why is the Dead Sea so salty?").noun == "the Dead Sea"
    assert subject("How is malaria transmitted?").noun == "malaria"
    # Before an adjective of degree too: a trial report's background read "What they say of
    # the Drake Passage so".
    drake = subject("Why is the Drake Passage so dangerous to sail?")
    assert drake is not None and drake.noun == "the Drake Passage"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # A trial report headed its second section "What caused it?".
        (
            "How many people died in the Chernobyl disaster, and what caused it?",
            "What caused the Chernobyl disaster?",
        ),
        # The event is the sinking; "it" is the ship.
        (
            "How many people died in the sinking of the Titanic, and why did it sink?",
            "Why did the Titanic sink?",
        ),
        ("How many people live in Tokyo, and what is it famous for?", "What is Tokyo famous for?"),
        # "they" are the moons counted, not Jupiter: left as asked.
        ("How many moons does Jupiter have, and what are they made of?", "What are they made of?"),
        ("How many moons does Jupiter have, and when?", "When?"),
    ],
)
def test_a_count_names_the_place_or_thing_it_is_asked_of(question: str, expected: str) -> None:
    assert standalone_part(question_parts(question)[1], question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # A trial report's heading read "When was the Eiffel built?".
        ("Where is the Eiffel Tower, and when was it built?", "When was the Eiffel Tower built?"),
        ("Where is Machu Picchu, and who built it?", "Who built Machu Picchu?"),
        # The predicate goes: "blue" is not the sky's name.
        ("Why is the sky blue, and when is it red?", "When is the sky red?"),
    ],
)
def test_a_name_ending_the_first_part_is_kept_whole(question: str, expected: str) -> None:
    assert standalone_part(question_parts(question)[1], question) == expected


def test_a_yes_no_subject_ends_before_its_participle() -> None:
    # Read as "it recognized as", a trial report took "Is it recognized as a country?" to
    # ask only "country" and declared it beside "… internationally recognised as part of
    # Moldova".
    about = subject("Is it recognized as a country?")
    assert about is not None and about.noun == "it"
    pluto = subject("Is Pluto considered a planet?")
    assert pluto is not None and pluto.noun == "Pluto"
    # A noun ending in "-ed" is no participle (a review's counterexamples).
    assert standalone_part("Is it healthy?", "Is hemp seed oil legal, and is it healthy?") == (
        "Is it healthy?"
    )
    speed = subject("Is internet speed affected by weather?")
    assert speed is not None and speed.noun == "internet speed"
