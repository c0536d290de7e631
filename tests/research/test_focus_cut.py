from lyceum.research.focus_cut import states_asked_instance

COLORADO = (
    "How was the Colorado River used for irrigation and water supply, and which dams control it?"
)
HOOVER = (
    "The Hoover Dam is a concrete arch-gravity dam in the Black Canyon of the Colorado River, "
    "on the boundary between the U.S. states of Nevada and Arizona."
)


def test_a_named_instance_of_the_asked_kind_answers_a_which_part() -> None:
    # A trial report dropped the Hoover Dam under the neighbour floor and declared
    # "Which dams control the Colorado River?".
    assert states_asked_instance(HOOVER, COLORADO)


def test_an_instance_that_says_nothing_else_the_part_asks_does_not() -> None:
    # Dev q24's genus definitions, labelled off topic: a dinosaur, but not one that survived.
    dinosaurs = "What killed the dinosaurs, and which dinosaurs survived?"
    assert not states_asked_instance(
        "Tyrannosaurus is a genus of large theropod dinosaur.", dinosaurs
    )


def test_no_which_part_no_instance_and_not_the_subject() -> None:
    assert not states_asked_instance(HOOVER, "How was the Colorado River used for irrigation?")
    # Not one of the kind, or not of the question's subject.
    assert not states_asked_instance(
        "The river is a source of water for 40 million people.", COLORADO
    )
    glen = "Glen Canyon Dam is a concrete arch-gravity dam in the southwestern United States."
    assert not states_asked_instance(glen, COLORADO)
