"""Numbers, dates and names written differently in a claim and its evidence: the rewordings
of the VitaminC validation split and the claim-check dev split that the content check used to
call unsupported, each beside the false variant it must still catch."""

from __future__ import annotations

from lyceum.claimcheck.content_check import check_claim, stem
from lyceum.claimcheck.content_numbers import normalise, resolve_bounds, rounds_to

BITTER_SWEET = (
    'Bitter Sweet Symphony" was released on 16 June 1997 by Hut Recordings as the first '
    "single from the album."
)
BOOK_CLUB = (
    "The film was released on May 18, 2018, by Paramount Pictures, received mixed reviews "
    "from critics and has grossed $63 million worldwide."
)
AUBREY = (
    "Aubrey Frances Anderson-Emmons (born June 6, 2007) is an American child actress, known "
    "for her role as Lily Tucker-Pritchett on ABC's Modern Family."
)
LOCKOUT = "As of April 20, 2012, the film has grossed an estimated $8,908,000 in the United States."
DRESDEN = "The Dresden metropolitan area has over 1.3 million inhabitants."
SHOLAY = (
    "Sholay is a 1975 Indian Hindi-language action-adventure film directed by Ramesh Sippy, "
    "produced by his father G. P. Sippy, and written by Salim–Javed."
)


def test_a_date_matches_in_either_order() -> None:
    assert check_claim(
        "Bitter Sweet Symphony was released on June 16, 1997.", [BITTER_SWEET]
    ).passed
    false = check_claim("Bitter Sweet Symphony was released on June 17, 1997.", [BITTER_SWEET])
    assert "17" in false.words and false.strict


def test_a_scaled_number_matches_its_digits() -> None:
    assert normalise("1.3 million and 2 billion") == "1300000 and 2000000000"
    assert check_claim("The Dresden metropolitan area has over 1,300,000 inhabitants.", [DRESDEN]).passed  # fmt: skip
    assert not check_claim("The Dresden metropolitan area has over 1.3 billion inhabitants.", [DRESDEN]).passed  # fmt: skip


def test_a_bound_the_evidence_meets_counts_as_its_number() -> None:
    assert check_claim("The film earned more than $61 million worldwide.", [BOOK_CLUB]).passed
    assert check_claim("The film grossed less than $70 million worldwide.", [BOOK_CLUB]).passed
    false = check_claim("The film earned more than $64 million worldwide.", [BOOK_CLUB])
    assert "64000000" in false.words and false.strict


def test_a_year_bound_needs_a_year_that_meets_it() -> None:
    assert check_claim("Aubrey Frances Anderson-Emmons was born after 1999.", [AUBREY]).passed
    false = check_claim("Aubrey Frances Anderson-Emmons was born before 1999.", [AUBREY])
    assert "1999" in false.words


def test_a_bound_the_evidence_states_is_left_alone() -> None:
    claim, resolved = resolve_bounds("over 1300000 inhabitants", [normalise(DRESDEN)])
    assert (claim, resolved) == ("over 1300000 inhabitants", set())


def test_a_large_number_may_be_rounded_but_a_year_may_not() -> None:
    assert check_claim("The film has grossed $8.9 million in the United States.", [LOCKOUT]).passed
    assert not check_claim("The film has grossed $8.8 million in the United States.", [LOCKOUT]).passed  # fmt: skip
    assert rounds_to("8900000", "8908000") and not rounds_to("1900", "1934")
    assert not check_claim("Sholay is a 1980 Indian film.", [SHOLAY]).passed


def test_a_hedged_large_number_matches_within_ten_percent() -> None:
    evidence = ["The population is 1,870,000."]
    assert check_claim("The population is about 1.9 million.", evidence).passed
    assert not check_claim("The population is about 2.5 million.", evidence).passed


def test_initials_are_left_out_and_do_not_end_a_sentence() -> None:
    claim = "Sholay was directed by Ramesh Sippy and produced by his father G. P. Sippy."
    assert check_claim(claim, [SHOLAY]).passed
    assert not check_claim("Sholay was produced by his father G. P. Kapoor.", [SHOLAY]).passed


def test_a_given_name_may_be_missing_from_the_evidence_but_not_the_surname() -> None:
    evidence = ["In television, Costner won the Primetime Emmy Award for Outstanding Lead Actor."]
    assert check_claim(
        "In television, Kevin Costner won the Primetime Emmy Award.", evidence
    ).passed
    assert check_claim("In television, Kevin Bacon won the Primetime Emmy Award.", evidence).words == ["Kevin", "Bacon"]  # fmt: skip


def test_listed_synonyms_match_in_every_form() -> None:
    assert stem("needed") == stem("required") == stem("requires")
    assert stem("movie") == stem("films") and stem("earned") == stem("grossed")
    passage = "Binding energy is the smallest amount of energy required to remove a particle."
    assert check_claim("Binding energy is the smallest amount of energy needed to remove a particle.", [passage]).passed  # fmt: skip


def test_square_kilometres_match_km2() -> None:
    evidence = ["The country has an area of 23,200 km2 (8,958 sq mi)."]
    assert check_claim("The country has an area of 23,200 square kilometres.", evidence).passed


def test_a_changed_first_word_of_a_place_name_is_unsupported() -> None:
    evidence = ["In the northwest they join the Ligurian Alps at Altare."]
    assert "Dinaric" in check_claim("In the northwest the Apennines join the Dinaric Alps at Altare.", evidence).words  # fmt: skip
    warsaw = ["It makes Warsaw the 7th most populous city in the European Union."]
    assert "Capital" in check_claim("It makes Warsaw the 7th most populous city in the Capital City.", warsaw).words  # fmt: skip


def test_a_superlative_the_evidence_ranks_second_is_unsupported_without_its_rank() -> None:
    dresden = [
        "Dresden is the capital city of the German state of Saxony and its second most "
        "populous city after Leipzig."
    ]
    claim = "Dresden is the capital city of the German state of Saxony and its most populous city."
    assert check_claim(claim, dresden).words == ["most"]
    assert check_claim(claim.replace("its most", "its second most"), dresden).passed
    neutron = [
        "Surpassed only by black holes, neutron stars are the second-smallest and "
        "second-densest known class of stellar objects."
    ]
    false = check_claim("Neutron stars are the smallest and densest known class of stellar objects.", neutron)  # fmt: skip
    assert false.words == ["smallest", "densest"] and false.strict
    assert check_claim("It is the largest city.", ["It is the largest city and the second largest port."]).passed  # fmt: skip
