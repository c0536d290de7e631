import pytest

from lyceum.research.parts import (
    compared,
    defines_a_member,
    defines_another,
    defines_as_a_kind_of,
    distinctive_names,
    distinctive_words,
    focus,
    names_a_kind,
    names_the_predicate,
    question_parts,
    with_focus,
)


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        (
            "How do neutron stars form, and what are pulsars?",
            ["How do neutron stars form?", "What are pulsars?"],
        ),
        (
            "What is the greenhouse effect and which gases contribute most?",
            ["What is the greenhouse effect?", "Which gases contribute most?"],
        ),
        (
            "How do vaccines work and what limits their effectiveness?",
            ["How do vaccines work?", "What limits their effectiveness?"],
        ),
        (
            "What is photosynthesis? Where does it happen?",
            ["What is photosynthesis?", "Where does it happen?"],
        ),
        (
            "How did the printing press change the spread of knowledge in Europe?",
            ["How did the printing press change the spread of knowledge in Europe?"],
        ),
        # "and" between nouns, or between two question words, joins no separate questions.
        (
            "Which animals and plants live in deserts?",
            ["Which animals and plants live in deserts?"],
        ),
        (
            "How and why did the Roman Republic become an empire?",
            ["How and why did the Roman Republic become an empire?"],
        ),
        ("tides", ["Tides?"]),
        # "and by whom" asks who, a part of its own (a trial report took it as one part).
        (
            "When was the printing press invented, and by whom?",
            ["When was the printing press invented?", "By whom?"],
        ),
        (
            "When and where did the Industrial Revolution begin, and what role did the steam "
            "engine play in it?",
            [
                "When and where did the Industrial Revolution begin?",
                "What role did the steam engine play in it?",
            ],
        ),
        (
            "Who built the Great Pyramid of Giza, when, and how long did it take?",
            ["Who built the Great Pyramid of Giza?", "When?", "How long did it take?"],
        ),
        # An initial or an abbreviation ends no sentence (a trial report asked "Who was B?").
        (
            "Who was B. R. Ambedkar and what did he contribute to the Constitution of India?",
            ["Who was B. R. Ambedkar?", "What did he contribute to the Constitution of India?"],
        ),
        (
            "What is the U.S. Constitution? Who was St. Francis of Assisi?",
            ["What is the U.S. Constitution?", "Who was St. Francis of Assisi?"],
        ),
        ("How tall is it. Who made it?", ["How tall is it?", "Who made it?"]),
        # A question word after the letter opens the next question (a review's examples).
        ("What is vitamin A. How much do I need?", ["What is vitamin A?", "How much do I need?"]),
        ("Who was Malcolm X. Why was he killed?", ["Who was Malcolm X?", "Why was he killed?"]),
    ],
)
def test_a_question_splits_into_the_parts_it_asks(question: str, parts: list[str]) -> None:
    assert question_parts(question) == parts


def test_a_later_part_gets_the_subject_it_leans_on() -> None:
    question = "How do vaccines work and what limits their effectiveness?"
    assert focus(question) == "vaccines work"
    assert with_focus("What limits their effectiveness?", question) == (
        "What limits their effectiveness? (vaccines work)"
    )
    assert with_focus("How do vaccines work?", question) == "How do vaccines work?"


def test_a_part_names_what_no_other_part_names() -> None:
    parts = question_parts(
        "What was the Manhattan Project, and what happened at Hiroshima and Nagasaki?"
    )
    assert distinctive_names(parts, 0) == {"manhattan", "project"}
    assert distinctive_names(parts, 1) == {"hiroshima", "nagasaki"}
    # A name every part shares is the subject, not something one part asks about.
    parts = question_parts("What is Hawking radiation, and why did Hawking predict it?")
    assert distinctive_names(parts, 1) == set()


def test_a_pronoun_is_no_word_of_the_part() -> None:
    # A trial report took "What did he mean by 'the medium is the message'?" as answered
    # elsewhere by a sentence on Marshall McLuhan that says "He …" and nothing of the phrase.
    parts = question_parts(
        'Who was Marshall McLuhan and what did he mean by "the medium is the message"?'
    )
    assert distinctive_words(parts, 1) == {"medium", "messag"}
    parts = question_parts("Who was Cleopatra, and how did she die?")
    assert distinctive_words(parts, 1) == {"die"}
    # "US" is the United States (a review's counterexample).
    parts = question_parts("What is the GDP of the US, and how fast is it growing?")
    assert distinctive_words(parts, 0) == {"gdp", "us"}


@pytest.mark.parametrize(
    ("question", "sides"),
    [
        ("How do vaccines differ from antibiotics?", ("vaccines", "antibiotics")),
        ("How do mitosis and meiosis differ?", ("mitosis", "meiosis")),
        (
            "What is the difference between the Internet and the World Wide Web, and who "
            "invented the Web?",
            ("Internet", "World Wide Web"),
        ),
        (
            "What is the difference between special and general relativity, and when did "
            "Einstein publish them?",
            ("special relativity", "general relativity"),
        ),
        ("How does a crocodile compare to an alligator?", ("crocodile", "alligator")),
        ("What distinguishes mammals from reptiles?", ("mammals", "reptiles")),
        ("Viruses vs bacteria?", ("Viruses", "bacteria")),
        ("How do vaccines work?", None),
    ],
)
def test_a_comparison_question_names_its_two_sides(
    question: str, sides: tuple[str, str] | None
) -> None:
    assert compared(question) == sides


def test_a_yes_no_part_is_answered_only_by_a_sentence_naming_what_it_asks() -> None:
    # A trial report took "Is caffeine addictive?" as answered by a sentence on its uses.
    parts = question_parts("How does caffeine work in the brain, and is it addictive?")
    uses = "Caffeine is mainly used for its eugeroic properties; it is also used recreationally."
    assert not names_the_predicate(uses, parts, 1)
    assert names_the_predicate("Caffeine addiction is debated.", parts, 1)  # another form
    assert names_the_predicate("Caffeine is addictive.", parts, 1)
    # Not a yes/no part: no word needed.
    assert names_the_predicate(uses, parts, 0)
    # A word saying against what is not what is asked.
    malaria = question_parts("How is malaria treated, and is there a vaccine against it?")
    assert not names_the_predicate("Quinine is used against malaria.", malaria, 1)
    assert names_the_predicate("The RTS,S vaccine was approved in 2021.", malaria, 1)


def test_a_yes_no_part_is_not_answered_by_naming_what_it_relates_the_subject_to() -> None:
    # A trial report took "Will it collide with the Milky Way?" as answered by this.
    parts = question_parts("What is the Andromeda Galaxy, and will it collide with the Milky Way?")
    nearest = "The Andromeda Galaxy is the nearest major galaxy to the Milky Way."
    assert not names_the_predicate(nearest, parts, 1)
    collide = "The Andromeda Galaxy is expected to collide with the Milky Way."
    assert names_the_predicate(collide, parts, 1)


def test_a_yes_no_first_part_is_not_answered_by_naming_its_subject() -> None:
    # A trial report took "Does Saturn have rings?" as answered by Saturn's definition.
    parts = question_parts("Does Saturn have rings, and what are they made of?")
    planet = "Saturn is the sixth planet from the Sun."
    # Given or not, the subject is no word the part asks: "Saturn" is a name of the part.
    assert not names_the_predicate(planet, parts, 0)
    assert not names_the_predicate(planet, parts, 0, "Saturn")
    assert names_the_predicate("Saturn has a prominent ring system.", parts, 0, "Saturn")
    # A part asking nothing but its subject keeps its words.
    assert names_the_predicate(planet, ["Is there Saturn?"], 0, "Saturn")


def test_a_which_part_asking_for_living_things_needs_one_not_a_name() -> None:
    # A trial report took "Which animals live in a marsh?" as answered by "In Europe …".
    parts = question_parts("What is a marsh, and which animals live there?")
    europe = "In Europe low-lying meadows are also referred to as marshes."
    assert not names_a_kind(europe, parts, 1)
    assert names_a_kind("Marshes are home to frogs and herons.", parts, 1)
    assert names_a_kind("Muskrats live there.", parts, 1)  # not muskrat's first sense, a fur
    venom = question_parts("What is venom, and which animals produce it?")
    assert not names_a_kind("Venom is a toxin produced by an animal.", venom, 1)
    # A narrower kind keeps the names rule: a dinosaur has a name.
    dinosaurs = question_parts("What killed the dinosaurs, and which dinosaurs survived?")
    assert names_a_kind("Birds descend from the Theropoda.", dinosaurs, 1)


def test_a_which_part_is_not_answered_by_any_one_of_the_kind() -> None:
    # "An enzyme is …" names no enzyme (dev q08, labelled off topic); the only one of a kind
    # is one named.
    dna = question_parts("How is DNA copied, and which enzymes carry out the copying?")
    enzyme = "An enzyme is a biological macromolecule that acts as a catalyst."
    assert not names_a_kind(enzyme, dna, 1)
    assert names_a_kind("The enzyme DNA polymerase adds nucleotides.", dna, 1)
    dinosaurs = question_parts("What killed the dinosaurs, and which dinosaurs survived?")
    assert names_a_kind("Birds are the only dinosaur lineage to survive.", dinosaurs, 1)


def test_a_which_part_is_answered_by_a_named_thing_defined_as_its_kind() -> None:
    hoover = (
        "The Hoover Dam is a concrete arch-gravity dam in the Black Canyon of the Colorado "
        "River, on the boundary between the U.S. states of Nevada and Arizona."
    )
    assert defines_a_member(hoover, "Which dams control the Colorado River?")
    assert not defines_a_member(hoover, "Which bridges cross the Colorado River?")
    assert not defines_a_member(hoover, "How was the Colorado River used?")
    # One of the kind that says nothing else the part asks (dev q24, labelled off topic).
    tyrannosaurus = "Tyrannosaurus is a genus of large theropod dinosaur."
    assert not defines_a_member(tyrannosaurus, "Which dinosaurs survived?")
    # A review's examples: a pronoun is no name, and the kind must follow its article closely.
    dam = "It is a concrete arch-gravity dam on the Colorado River."
    assert not defines_a_member(dam, "Which dams control the Colorado River?")
    carmen = "Carmen is an opera in four acts by the French composer Georges Bizet, in Paris."
    assert not defines_a_member(carmen, "Which composers wrote operas in Paris?")


def test_a_which_parts_restriction_is_more_than_the_name_its_kind_is_of() -> None:
    # A review's example: the part asks which moons have oceans, not which are Jupiter's.
    callisto = "Callisto is the second-largest moon of Jupiter, after Ganymede."
    assert not defines_a_member(callisto, "Which moons of Jupiter have oceans?")
    ganymede = "Ganymede is the largest moon of Jupiter and has a subsurface ocean."
    assert defines_a_member(ganymede, "Which moons of Jupiter have oceans?")
    # Asked nothing beyond whose they are, a moon of Jupiter answers.
    assert defines_a_member(callisto, "Which moons of Jupiter?")


def test_an_alternative_is_answered_by_a_definition_as_a_kind_of_it() -> None:
    # A trial report declared "Is it an animal or a plant?" beside this definition.
    parts = question_parts("What is a coral, and is it an animal or a plant?")
    corals = "Corals are colonial marine invertebrates within the class Anthozoa."
    assert defines_as_a_kind_of(corals, parts[1])
    assert names_the_predicate(corals, parts, 1)
    # Not any animal the sentence names, and not without alternatives.
    assert not names_the_predicate("Corals eat small fish and plankton.", parts, 1)
    assert not defines_as_a_kind_of("Fungi are eukaryotic organisms.", parts[1])
    assert not defines_as_a_kind_of(corals, "Is it dangerous?")


def test_a_definition_of_another_named_thing_does_not_say_what_the_named_one_is() -> None:
    # A trial report answered "What was the Mexican Revolution?" with this definition.
    war = (
        "The Mexican–American War, also known in the United States as the Mexican War and "
        "in Mexico as the United States intervention in Mexico, was an invasion of Mexico by "
        "the United States."
    )
    assert defines_another(war, "What was the Mexican Revolution?")
    own = "The Mexican Revolution was an extended sequence of armed regional conflicts."
    assert not defines_another(own, "What was the Mexican Revolution?")
    # Another name that also says the one asked about is its definition.
    alias = "The First World War, also known as the Great War, was a global conflict."
    assert not defines_another(alias, "What was the Great War?")
    # A shorter name of the same thing.
    sahara = "The Sahara is a desert spanning North Africa."
    assert not defines_another(sahara, "What is the Sahara Desert?")
    # The head counts as a word, not as letters inside another name's word.
    pact = "The Warsaw Pact was a collective defence treaty."
    assert defines_another(pact, "What was the Cold War?")
    # Not a definition, or not a part asking what a named thing is.
    assert not defines_another("The war began in 1846.", "What was the Mexican Revolution?")
    assert not defines_another(war, "When did the Mexican Revolution begin?")
