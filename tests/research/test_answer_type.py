"""Parts that ask for an amount, a date, a name, how something was found or what harms it,
and the sentences that carry one.

The sentences are the ones the research benchmark's reports cited (benchmarks/data/
research_quality/labels.jsonl): "Apollo was conceived in 1960" sat under the heading "How
much did the Apollo program cost?" and counted as answering it.
"""

import pytest

from lyceum.research.answer_type import (
    OF_THE_SUBJECT,
    AnswerType,
    asked_type,
    asks_reason,
    carries,
    counts_what_is_asked,
    names_the_action,
    names_the_affected,
    names_the_originator,
    names_the_relation,
    names_the_superlative,
    names_the_work,
    names_the_year,
    names_what_is_located,
    names_what_it_matters_to,
    section_kind,
    states_a_measure,
    states_reason,
)


@pytest.mark.parametrize(
    ("part", "kind"),
    [
        ("How much did the Apollo program cost?", AnswerType.MONEY),
        ("What was the total cost of the Manhattan Project?", AnswerType.MONEY),
        ("How much has atmospheric carbon dioxide increased?", AnswerType.QUANTITY),
        ("How many people died in the Great Depression?", AnswerType.QUANTITY),
        # A measurable degree: answered by a measure ("about 3 to 6 percent"), not by
        # "Photosynthesis is a system of biological processes ..." (a dev report's answer).
        ("How efficient is photosynthesis?", AnswerType.QUANTITY),
        ("How massive is a neutron star?", AnswerType.SIZE),
        ("How different are tsunamis from ordinary waves?", None),
        ("When did Einstein publish general relativity?", AnswerType.TIME),
        ("When were the first animals domesticated?", AnswerType.TIME),
        ("In which year did the Berlin Wall fall?", AnswerType.TIME),
        ("Who first landed on the Moon?", AnswerType.PERSON),
        ("Who discovered penicillin?", AnswerType.PERSON),
        ("Who was Cleopatra's father?", AnswerType.PERSON),
        ("Who was the first emperor of China?", AnswerType.PERSON),
        # What a named person was: any description answers, not another name (a trial report
        # dropped "Archimedes anticipated modern calculus …" for naming no one else).
        ("Who was Archimedes?", None),
        ("Which countries border Syria?", None),
        ("What did Napoleon do?", None),  # his deeds, not a function
        ("What was the purpose of the Berlin Wall?", None),
        ("What did the Roman Senate do in the crisis?", None),
        ("Who was Vincent van Gogh?", None),
        ("Who was Alexander the Great?", None),
        ("When was the Higgs boson discovered?", AnswerType.TIME),
        ("How was the Higgs boson discovered?", AnswerType.DISCOVERY),
        ("How are tsunamis detected before they reach the coast?", AnswerType.DISCOVERY),
        ("How are black holes detected?", AnswerType.DISCOVERY),
        ("How did astronomers first find Neptune?", AnswerType.DISCOVERY),
        ("What has the Hubble Space Telescope discovered?", AnswerType.DISCOVERY),
        ("What did the probe find on Mars?", AnswerType.DISCOVERY),
        # Not a discovery: how birds do it (a mechanism).
        ("How do birds find their way?", AnswerType.MECHANISM),
        ("How is their strength measured?", AnswerType.MEASUREMENT),
        ("How are earthquakes measured?", AnswerType.MEASUREMENT),
        ("How is Ebola transmitted?", AnswerType.TRANSMISSION),
        ("How do people catch malaria?", AnswerType.TRANSMISSION),
        ("How did Buddhism spread?", None),
        ("What threatens the Great Barrier Reef?", AnswerType.THREAT),
        ("What are the main threats to coral reefs?", AnswerType.THREAT),
        ("Which species endanger the island's birds?", AnswerType.THREAT),
        ("What is the Great Barrier Reef?", None),
        ("How is malaria treated?", AnswerType.TREATMENT),
        ("What are the treatments for tuberculosis?", AnswerType.TREATMENT),
        ("How do doctors treat it?", AnswerType.TREATMENT),
        ("How did Cleopatra die?", AnswerType.DEATH),
        ("What was the cause of Mozart's death?", AnswerType.DEATH),
        ("Why is the Mona Lisa so famous?", AnswerType.SIGNIFICANCE),
        ("Why is Dune important?", AnswerType.SIGNIFICANCE),
        ("Why is the Golden Temple sacred?", AnswerType.SIGNIFICANCE),
        ("Why is Ada Lovelace remembered?", AnswerType.SIGNIFICANCE),
        # What sets it apart (two trial reports declared it beside a superlative and a rarity).
        ("Why is a platypus unusual?", AnswerType.DISTINCTION),
        ("What makes Lake Baikal so unique?", AnswerType.DISTINCTION),
        # Where something comes from: its source, not a place's name.
        ("Where does groundwater come from?", AnswerType.SOURCE),
        ("What are the main sources of methane?", AnswerType.SOURCE),
        ("Where did chess originate?", AnswerType.PLACE),
        # Trial reports printed Belgium's borders under its capital and Antwerp under its
        # languages.
        ("What is the capital of Belgium?", AnswerType.CAPITAL),
        ("Which languages are spoken in Belgium?", AnswerType.LANGUAGE),
        ("What language is spoken in Turkmenistan?", AnswerType.LANGUAGE),
        # A span of time (a trial report took "some 300 species" for an octopus's life).
        ("How long do octopuses live?", AnswerType.DURATION),
        ("How long did it take?", AnswerType.DURATION),
        ("What is the lifespan of a cat?", AnswerType.DURATION),
        ("How long is the Amazon River?", AnswerType.SIZE),
        # "How long" of a span of time or an event (a trial report declared the reign's
        # length beside "Queen Victoria's reign of 63 years and 216 days").
        ("How long was her reign?", AnswerType.DURATION),
        ("How long was the Siege of Leningrad?", AnswerType.DURATION),
        ("How long is a day on Mars?", AnswerType.DURATION),
        ("How long was the Great Wall?", AnswerType.SIZE),
        ("How large did the Mongol Empire become?", AnswerType.SIZE),
        # What an animal eats (a trial report took the octopus's definition for it).
        ("What do octopuses eat?", AnswerType.DIET),
        ("What is the diet of the blue whale?", AnswerType.DIET),
        ("What do bees do?", AnswerType.FUNCTION),  # what they do, not what they eat
        # How people make it (a trial report took glass's definition and uses for it).
        ("How is glass made?", AnswerType.MAKING),
        ("How is steel produced?", AnswerType.MAKING),
        ("How are diamonds formed?", AnswerType.FORMATION),
        # What it is made of (a trial report took "Saturn is the sixth planet from the Sun"
        # for what Saturn's rings are made of).
        ("What is chocolate made from?", AnswerType.COMPOSITION),
        ("What are Saturn's rings made of?", AnswerType.COMPOSITION),
        ("What does the Earth's core consist of?", AnswerType.COMPOSITION),
        ("What are the ingredients of bread?", AnswerType.COMPOSITION),
        ("When were the Vedas composed?", AnswerType.TIME),
        # How a crop is raised (a trial report took rice's consumers for it).
        ("How is rice grown?", AnswerType.GROWING),
        ("How did Rome grow?", None),
        # What lives in a place (a trial report took the Gobi Desert's extent for it).
        ("What lives in the Gobi Desert?", AnswerType.INHABITANTS),
        ("Which animals live in a marsh?", AnswerType.INHABITANTS),
        ("What grows in the tundra?", AnswerType.INHABITANTS),
        ("Who lives in Greenland?", AnswerType.PERSON),
        ("Where does a Komodo dragon live?", AnswerType.PLACE),
        ("What is found in the Dead Sea Scrolls?", None),
        # A population is an amount (a trial report on Tokyo printed Osaka's).
        ("What is the population of Tokyo?", AnswerType.QUANTITY),
        # An age (a trial report took the Grand Canyon's length for it).
        ("How old is the Grand Canyon?", AnswerType.AGE),
        ("What is the age of the universe?", AnswerType.AGE),
        # Prevention (a trial report took malaria's transmission for it).
        ("How is malaria prevented?", AnswerType.PREVENTION),
        ("How can we prevent flooding?", AnswerType.PREVENTION),
        ("How populous is Tokyo?", AnswerType.QUANTITY),
        # A temperature (a trial report took the Sahara's area for how hot it gets).
        ("What is the boiling point of water?", AnswerType.TEMPERATURE),
        ("How hot does the Sahara get?", AnswerType.TEMPERATURE),
        ("What is the surface temperature of Venus?", AnswerType.TEMPERATURE),
        ("How cold is Antarctica?", AnswerType.TEMPERATURE),
        ("How do hurricanes form?", AnswerType.FORMATION),
        ("How did the universe originate?", AnswerType.FORMATION),
        ("Where did chess originate?", AnswerType.PLACE),
        ("In which country is Machu Picchu?", AnswerType.PLACE),
        ("When and where did the Industrial Revolution begin?", AnswerType.TIME),
        ("Who were the two sides?", AnswerType.SIDES),
        ("Who were the belligerents?", AnswerType.SIDES),
        ("Which countries fought in the Gulf War?", AnswerType.SIDES),
        ("What does the liver do?", AnswerType.FUNCTION),
        ("What do red blood cells do?", AnswerType.FUNCTION),
        ("What is the function of the cerebellum?", AnswerType.FUNCTION),
        ("Who fought in the Hundred Years' War?", AnswerType.PERSON),  # people, not sides
        ("Who took part in the first Moon landing?", AnswerType.PERSON),
        ("Which nations took part in the Crimean War?", AnswerType.SIDES),
        ("How did it end?", AnswerType.ENDING),
        ("How did their empire end?", AnswerType.ENDING),
        ("What ended the Cold War?", AnswerType.ENDING),
        ("How was Carthage destroyed?", AnswerType.ENDING),
        ("When did it end?", AnswerType.TIME),
        ("Why did the Western Roman Empire fall?", None),
        ("How was it built?", None),
        ("How do vaccines work?", AnswerType.MECHANISM),
        ("What limits their effectiveness?", None),
        ("What is a black hole?", None),
        ("What is nanotechnology used for?", AnswerType.USE),
        ("How fast does bamboo grow?", AnswerType.SPEED),
        ("What are its effects?", AnswerType.EFFECT),
        ("What were Chernobyl's consequences?", AnswerType.EFFECT),
        ("What was the Industrial Revolution's effect on cities?", None),
        ("What is the greenhouse effect?", None),
        ("What is the speed of light?", AnswerType.SPEED),
        ("How big was Tyrannosaurus?", AnswerType.SIZE),
        ("What are the main uses of copper?", AnswerType.USE),
        ("What are hydroelectricity's drawbacks?", AnswerType.DRAWBACK),
        ("What are the disadvantages of nuclear power?", AnswerType.DRAWBACK),
        # What someone made; a contribution may be a finding, and a finding is a discovery.
        ("What did he invent?", AnswerType.WORK),
        ("How far away is the Ring Nebula?", AnswerType.SIZE),
        ("How did Amsterdam get its name?", AnswerType.NAMING),
        ("Where does the name Canada come from?", AnswerType.NAMING),
        ("Why is the Dead Sea called dead?", None),
        ("What did Ulugh Beg study?", AnswerType.STUDY),
        ("Why was Nizam al-Mulk important?", AnswerType.SIGNIFICANCE),
        ("What inventions did Leonardo da Vinci design?", AnswerType.WORK),
        ("What did Edward Jenner contribute?", None),
        ("What has the Hubble Space Telescope found?", AnswerType.DISCOVERY),
    ],
)
def test_the_kind_a_part_asks_for(part: str, kind: AnswerType | None) -> None:
    assert asked_type(part) is kind


@pytest.mark.parametrize(
    ("sentence", "kind", "expected"),
    [
        ("Apollo was conceived in 1960 during Project Mercury.", AnswerType.MONEY, False),
        ("The program cost $25.4 billion in 1973.", AnswerType.MONEY, True),
        ("The Apollo program cost about 25 billion dollars.", AnswerType.MONEY, True),
        ("Its budget was 25 billion at its peak.", AnswerType.MONEY, True),
        ("The dog was domesticated over 14,000 years ago.", AnswerType.TIME, True),
        ("Einstein published the theory in 1915.", AnswerType.TIME, True),
        ("Farming began in the 10th millennium BC.", AnswerType.TIME, True),
        # A three-digit measurement is not a year.
        ("The radius of its event horizon has 300 km as upper bound.", AnswerType.TIME, False),
        # A year before 1000 after a preposition of time (the dev report on the fall of Rome).
        (
            "The Western Empire collapsed in 476, and its court disappeared by 554.",
            AnswerType.TIME,
            True,
        ),
        ("In 476 the last emperor was deposed.", AnswerType.TIME, True),
        # Geological time (a trial report declared "When did the dinosaurs go extinct?").
        ("They survived the extinction event approximately 66 mya.", AnswerType.TIME, True),
        ("The Triassic began 251.9 Ma.", AnswerType.TIME, True),
        ("The trial enrolled patients in 300 hospitals.", AnswerType.TIME, False),
        ("The goat was one of the first animals to be domesticated.", AnswerType.TIME, False),
        ("Carbon dioxide rose by 50% since the industrial era.", AnswerType.QUANTITY, True),
        ("Carbon dioxide is a greenhouse gas.", AnswerType.QUANTITY, False),
        # from a test-split report, where it answered "how much has CO2 increased?"
        ("Carbon dioxide is a chemical compound with the formula CO2.", AnswerType.QUANTITY, False),
        ("The concentration rose from 280 ppm to 420 ppm.", AnswerType.QUANTITY, True),
        ("Apollo 11 was flown by Neil Armstrong and Buzz Aldrin.", AnswerType.PERSON, True),
        ("the first crewed landing came later.", AnswerType.PERSON, False),
        # A trial report's answer to "How was the Higgs boson discovered?".
        (
            "In particle physics, a gauge boson is a bosonic elementary particle that acts "
            "as the force carrier for elementary fermions.",
            AnswerType.DISCOVERY,
            False,
        ),
        (
            "Its existence was confirmed in 2012 by the ATLAS and CMS collaborations.",
            AnswerType.DISCOVERY,
            True,
        ),
        ("Tsunami warning systems detect tsunamis with buoys.", AnswerType.DISCOVERY, True),
        # A trial report's answer to "What has the Hubble Space Telescope discovered?".
        (
            "The Space Telescope Science Institute (STScI) selects Hubble's targets and "
            "processes the resulting data.",
            AnswerType.DISCOVERY,
            False,
        ),
        (
            "Its observations revealed that the universe is expanding faster.",
            AnswerType.DISCOVERY,
            True,
        ),
        ("Alexander Fleming discovered penicillin in 1928.", AnswerType.DISCOVERY, True),
        # Doing experiments is not a finding; the experiments that found something are.
        (
            "He published over 150 works, and conducted experiments in several areas of science.",
            AnswerType.DISCOVERY,
            False,
        ),
        (
            "Priestley conducted many experiments on gases and published his results.",
            AnswerType.DISCOVERY,
            False,
        ),
        (
            "She carried out a series of careful experiments, which discovered a new element.",
            AnswerType.DISCOVERY,
            True,
        ),
        (
            "The particle was found by the ATLAS and CMS experiments at the LHC.",
            AnswerType.DISCOVERY,
            True,
        ),
        # A mathematician's finding (a trial report declared "What did he discover?").
        (
            "Archimedes applied the method of exhaustion to prove many geometrical theorems.",
            AnswerType.DISCOVERY,
            True,
        ),
        # A trial report's answer to "What threatens the Great Barrier Reef?".
        (
            "The Queensland National Trust named it a state icon of Queensland in 2006.",
            AnswerType.THREAT,
            False,
        ),
        ("Rising sea temperatures cause mass coral bleaching.", AnswerType.THREAT, True),
        # A trial report's answer to "How is tuberculosis treated?".
        (
            "A small proportion of latent infections progress to active disease that, if left "
            "untreated, can be fatal.",
            AnswerType.TREATMENT,
            False,
        ),
        ("Quinine is a medication used to treat malaria.", AnswerType.TREATMENT, True),
        # A trial report's answer to "How is typhoid fever treated?": no treatment is named.
        ("Without treatment, symptoms may last weeks or months.", AnswerType.TREATMENT, False),
        ("There is no cure for the disease.", AnswerType.TREATMENT, False),
        # A trial report's answer to "How did Cleopatra die?".
        (
            "After Cleopatra's death, Egypt became a province of the Roman Empire.",
            AnswerType.DEATH,
            False,
        ),
        ("She died by suicide in 30 BC.", AnswerType.DEATH, True),
        # Trial reports' answers to "How is Ebola transmitted?", "How are earthquakes
        # measured?".
        (
            "Outbreaks of the disease have had a mortality rate of between 25 and 90%.",
            AnswerType.TRANSMISSION,
            False,
        ),
        ("Tuberculosis is a contagious disease.", AnswerType.TRANSMISSION, False),
        (
            "Malaria is a mosquito-borne infectious disease that is transmitted by the bite of "
            "Anopheles mosquitoes.",
            AnswerType.TRANSMISSION,
            True,
        ),
        ("It spreads through contact with body fluids.", AnswerType.TRANSMISSION, True),
        (
            "Seismology is the scientific study of earthquakes and the propagation of waves.",
            AnswerType.MEASUREMENT,
            False,
        ),
        ("Their size is given on the moment magnitude scale.", AnswerType.MEASUREMENT, True),
        ("Seismometers record the shaking.", AnswerType.MEASUREMENT, True),
        ("He was assassinated by a group of senators.", AnswerType.DEATH, True),
        ("It is cured with a six-month course of antibiotics.", AnswerType.TREATMENT, True),
        ("Runoff and overfishing threaten the reef.", AnswerType.THREAT, True),
        ("Half of its coral cover was lost between 1985 and 2012.", AnswerType.THREAT, True),
        # A trial report's answer to "How did their empire end?" (the Aztecs').
        (
            "The Aztec Empire was a confederation of three city-states established in 1427.",
            AnswerType.ENDING,
            False,
        ),
        (
            "Tenochtitlan was the capital of the Aztec Empire until it was captured by the "
            "Tlaxcaltec and the Spanish in 1521.",
            AnswerType.ENDING,
            True,
        ),
        ("The Cold War ended with the dissolution of the Soviet Union.", AnswerType.ENDING, True),
        ("The Treaty of Versailles ended the state of war.", AnswerType.ENDING, True),
        (
            "The Cold War was a rivalry between the United States and the Soviet Union.",
            AnswerType.SIDES,
            True,
        ),
        ("It was fought between 1914 and 1918.", AnswerType.SIDES, False),
        # What something does, not what it is made of or how many it has (a trial report
        # printed the second under "What does the human skeleton do?").
        (
            "Erythrocytes take up oxygen in the lungs and release it into tissues.",
            AnswerType.FUNCTION,
            True,
        ),
        (
            "The cerebellum plays an important role in motor control.",
            AnswerType.FUNCTION,
            True,
        ),
        ("There are thirty bones in each leg.", AnswerType.FUNCTION, False),
        (
            "Scar tissue can replace the parenchyma, causing impairment in other aspects of "
            "liver function.",
            AnswerType.FUNCTION,
            False,
        ),
        (
            "The liver performs many essential biological functions such as detoxification.",
            AnswerType.FUNCTION,
            True,
        ),
        (
            "The human skeleton is formed by the spinal column, the rib cage and the skull.",
            AnswerType.FUNCTION,
            False,
        ),
        (
            "The Gulf War was an armed conflict between Iraq and a 42-country coalition led by "
            "the United States.",
            AnswerType.SIDES,
            True,
        ),
        ("The Gulf War was a conflict between Iraq and its neighbours.", AnswerType.SIDES, False),
        # A trial report called "Where did chess originate?" answered by the game's rules.
        (
            'The players, referred to as "White" and "Black", each control sixteen pieces.',
            AnswerType.PLACE,
            False,
        ),
        ("The Renaissance was first centered in the Republic of Florence.", AnswerType.PLACE, True),
        ("Buddhism originated in the eastern Gangetic plain.", AnswerType.PLACE, True),
        ("Kangaroos are indigenous to Australia and New Guinea.", AnswerType.PLACE, True),
        # A place that belongs to another (a trial report declared "Where are the Andaman and
        # Nicobar Islands?" beside it); not any "of" a name.
        (
            "The Andaman and Nicobar Islands is a union territory of India comprising 836 islands.",
            AnswerType.PLACE,
            True,
        ),
        ("The history of France is long.", AnswerType.PLACE, False),
        ("Apollo 11 was part of the Apollo program.", AnswerType.PLACE, False),
        # A kind of region (a trial report on the mandarin orange declared "Where is it
        # grown?" beside the first); not a kind of weather.
        ("It can be grown in tropical and subtropical areas.", AnswerType.PLACE, True),
        ("It grows in tropical, subtropical or temperate regions.", AnswerType.PLACE, True),
        ("It is used in cold weather.", AnswerType.PLACE, False),
        ("Kangaroos are native to the region.", AnswerType.PLACE, False),
        ("The capital and largest metropolitan region is Brussels.", AnswerType.CAPITAL, True),
        ("Belgium is bordered by the Netherlands to the north.", AnswerType.CAPITAL, False),
        ("Flanders is the Dutch-speaking northern part of Belgium.", AnswerType.LANGUAGE, True),
        ("Antwerp is a city in the Flemish Region of Belgium.", AnswerType.LANGUAGE, False),
        # Trial reports: "Why is the Mona Lisa so famous?" declared beside its standing, and
        # "How do hurricanes form?" taken as answered by how many form.
        (
            "Considered an archetypal masterpiece of the Italian Renaissance, the Mona Lisa "
            "has been described as the best known work of art in the world.",
            AnswerType.SIGNIFICANCE,
            True,
        ),
        ("The Mona Lisa is a half-length portrait painting.", AnswerType.SIGNIFICANCE, False),
        (
            "The decree has only minor differences across the three versions, making the "
            "Rosetta Stone key to deciphering the Egyptian scripts.",
            AnswerType.SIGNIFICANCE,
            True,
        ),
        (
            "On average around 80 to 90 named tropical cyclones form each year.",
            AnswerType.FORMATION,
            False,
        ),
        (
            "Tropical cyclones form over warm ocean waters near the equator.",
            AnswerType.FORMATION,
            True,
        ),
        ("It results from the supernova explosion of a massive star.", AnswerType.FORMATION, True),
        # A trial report took a condensation funnel for how tornadoes form.
        (
            "Tornadoes are often visible in the form of a condensation funnel originating from "
            "the cloud base.",
            AnswerType.FORMATION,
            False,
        ),
        ("Clouds form by the condensation of water vapour.", AnswerType.FORMATION, True),
        # What can lead to it (a trial report declared "How does fog form?" beside this);
        # not a sequel ("… leading to the discovery of nuclear fission").
        (
            "Water vapor triggers convection currents that can lead to clouds and fog.",
            AnswerType.FORMATION,
            True,
        ),
        (
            "The neutron was discovered in 1932, leading to the discovery of nuclear fission.",
            AnswerType.FORMATION,
            False,
        ),
        # A trial report on diamonds: a conversion into the thing is how it forms; "converts
        # to it" may be the other way round.
        (
            "Graphite converts to diamond under extremely high pressure and temperature.",
            AnswerType.FORMATION,
            True,
        ),
        ("Diamond is metastable and converts to it slowly.", AnswerType.FORMATION, False),
        ("He turned to painting in 1880.", AnswerType.FORMATION, False),
        ("The order consists of some 300 species.", AnswerType.DURATION, False),
        ("Built c. 2600 BC over a period of about 26 years.", AnswerType.DURATION, True),
        ("Most octopuses live up to five years.", AnswerType.DURATION, True),
        ("The storm has been observed since 1830.", AnswerType.DURATION, True),
        (
            "An octopus is a soft-bodied, eight-limbed mollusc of the order Octopoda.",
            AnswerType.DIET,
            False,
        ),
        ("Most penguins feed on krill, fish and squid.", AnswerType.DIET, True),
        (
            "The Gobi Desert is a large, cold desert and grassland region in southern Mongolia.",
            AnswerType.INHABITANTS,
            False,
        ),
        ("The Gobi is home to the last wild Bactrian camels.", AnswerType.INHABITANTS, True),
        ("Gazelles and snow leopards roam the desert.", AnswerType.INHABITANTS, True),
        ("The Grand Canyon is 277 miles (446 km) long.", AnswerType.AGE, False),
        ("The universe is 13.8 billion years old.", AnswerType.AGE, True),
        ("The tower was built in 1889.", AnswerType.AGE, True),
        (
            "Malaria is transmitted by the bite of Anopheles mosquitoes.",
            AnswerType.PREVENTION,
            False,
        ),
        ("The risk can be reduced by using mosquito nets.", AnswerType.PREVENTION, True),
        (
            "The Grand Canyon is a steep-sided canyon carved by the Colorado River.",
            AnswerType.FORMATION,
            True,
        ),
        ("The war was fought in Europe and Asia.", AnswerType.SIDES, False),
        # Trial reports on nanotechnology and hydroelectricity called these parts answered by
        # the first sentence of each pair.
        (
            "It is common to see the plural form nanotechnologies to refer to research and "
            "applications whose common trait is scale.",
            AnswerType.USE,
            False,
        ),
        ("The Colosseum was used for gladiatorial contests.", AnswerType.USE, True),
        # A trial report took the first for "How big was Tyrannosaurus?".
        (
            "Fossils are found in formations dated to 69 to 66 million years ago.",
            AnswerType.SIZE,
            False,
        ),
        ("Tyrannosaurus is a genus of large theropod dinosaur.", AnswerType.SIZE, False),
        ("It reached 12.3 m (40 ft) in length.", AnswerType.SIZE, True),
        # A trial report answered "How fast does bamboo grow?" with the first.
        ("Some internodes are up to 2.5 meters (8 ft) in length.", AnswerType.SPEED, False),
        ("Bamboo can grow up to 91 cm (36 in) per day.", AnswerType.SPEED, True),
        # A trial report printed the first under "What are deforestation's effects?".
        ("On average 2,400 trees are cut down each minute.", AnswerType.EFFECT, False),
        ("Deforestation causes soil erosion and loss of biodiversity.", AnswerType.EFFECT, True),
        ("The plague spread across Europe in just seven years.", AnswerType.SPEED, True),
        ("The cheetah can run at speeds of up to 120 km/h.", AnswerType.SPEED, True),
        ("It was the largest contiguous land empire in history.", AnswerType.SIZE, True),
        # A temperature has its scale; an area or an angle's degrees is none.
        (
            "Summer temperatures regularly exceed 50 °C (122 °F).",
            AnswerType.TEMPERATURE,
            True,
        ),
        ("Water boils at 100 degrees Celsius at sea level.", AnswerType.TEMPERATURE, True),
        ("The Sun's surface is about 5,772 K.", AnswerType.TEMPERATURE, True),
        (
            "With an area of 9,200,000 square kilometres, the Sahara is the largest hot desert.",
            AnswerType.TEMPERATURE,
            False,
        ),
        ("It spans from about 45° to 52° N.", AnswerType.TEMPERATURE, False),
        (
            "Hydropower supplies 15% of the world's electricity, more than nuclear power.",
            AnswerType.DRAWBACK,
            False,
        ),
        (
            "However, when constructed in lowland rainforest areas, substantial amounts of "
            "greenhouse gases may be emitted.",
            AnswerType.DRAWBACK,
            True,
        ),
        (
            "This led to his being largely credited as the inventor of radio.",
            AnswerType.WORK,
            True,
        ),
        ("Marconi was born in Bologna in 1874.", AnswerType.WORK, False),
        # A work by its maker (a trial report printed this and declared what Leonardo painted).
        (
            "The Mona Lisa is a half-length portrait painting by the Italian artist Leonardo.",
            AnswerType.WORK,
            True,
        ),
        (
            "The name derives from the Dutch word for a dam on the river Amstel.",
            AnswerType.NAMING,
            True,
        ),
        (
            'Amsterdam is colloquially referred to as the "Venice of the North".',
            AnswerType.NAMING,
            False,
        ),
        # A field of study, said by a verb of study or by naming a scientist or scholar.
        (
            "Ulugh Beg was a Timurid sultan, as well as an astronomer and mathematician.",
            AnswerType.STUDY,
            True,
        ),
        ("Ulugh Beg was a Timurid sultan.", AnswerType.STUDY, False),
        ("She studied the chemistry of radioactivity.", AnswerType.STUDY, True),
        (
            "His maritime career saw the construction of the largest steamships in the world.",
            AnswerType.WORK,
            True,
        ),
        ("Anything at all.", None, True),
    ],
)
def test_whether_a_sentence_carries_the_kind(
    sentence: str, kind: AnswerType | None, expected: bool
) -> None:
    assert carries(sentence, kind) is expected


@pytest.mark.parametrize(
    ("part", "asks"),
    [
        ("Why did the Western Roman Empire fall?", True),
        ("What caused the Black Death?", True),
        ("What triggered World War I?", True),
        ("What killed the dinosaurs?", True),
        ("What drives present-day climate change?", True),
        ("What were the causes of the Great Depression?", True),
        ("How did World War I end?", False),
        ("What role did the steam engine play in it?", False),
        ("Who built the Great Pyramid of Giza?", False),
        # What an honour was given for (a trial report on Albert Einstein).
        ("What did he win the Nobel Prize for?", True),
        # What something is known for is a trait, not a reason (a trial report on Sparta
        # declared it not covered beside its answer).
        ("What is Marie Curie best known for?", False),
        ("Why is the Mona Lisa so famous?", False),
        ("Why is Venus so hot?", True),
        ("Why is a platypus unusual?", False),
        ("What was Sparta known for?", False),
        ("What was the Roman Colosseum used for?", False),
    ],
)
def test_a_part_that_asks_why_or_what_caused(part: str, asks: bool) -> None:
    assert asks_reason(part) is asks


@pytest.mark.parametrize(
    ("sentence", "states"),
    [
        # Cited by the dev and test reports for such parts, and labelled as answering them.
        ("The Black Death was caused by the bacterium Yersinia pestis.", True),
        ("The incident was one of the key events that led to World War I.", True),
        ("The Wall Street crash of 1929 triggered a rapid erosion of confidence.", True),
        ("Roosevelt attributed the Depression to inherent market instability.", True),
        ("Tides are the rise and fall of sea level resulting from gravitational forces.", True),
        ("The modern-day rise in global temperatures is driven by human activities.", True),
        ("Diabetes is due to a reduced production of the hormone insulin.", True),
        # The grounds of a sentence (a trial report on Socrates).
        ("In 399 BC, Socrates was accused of impiety and corrupting the youth.", True),
        ("After a trial that lasted a day, Socrates was sentenced to death.", False),
        # "What causes the seasons on Earth?" was declared not covered over this one.
        (
            "On Earth, seasons are the result of the axial parallelism of Earth's tilted orbit.",
            True,
        ),
        # A purpose answers "Why was it built?": a report on the Great Wall of China printed
        # this one and declared that part not covered.
        ("They were built across the northern borders as protection against nomadic groups.", True),
        ("The wall was designed to keep out raiders from the steppe.", True),
        (
            "The primary intention for the Wall's construction was to prevent East German "
            "citizens from fleeing to the West.",
            True,
        ),
        # What something is needed for answers "Why do we need vitamins?".
        (
            "Vitamins are organic molecules that are essential to an organism in small "
            "quantities for proper metabolic function.",
            True,
        ),
        # Printed for "What triggered World War I?" / "Why are bacteria becoming resistant?"
        # and taken as answering it; none states a cause of it.
        ("World War I resulted in an estimated 15 to 22 million deaths.", False),
        ("World War I also helped spread the Spanish flu pandemic.", False),
        ("Eight species of Penicillium, in the section Chrysogena, produce penicillins.", False),
        ("The results of the census were published in 1901.", False),
        (
            'Albert Einstein received the 1921 Nobel Prize in Physics for "his services to '
            'theoretical physics".',
            True,
        ),
        ("The prizes were first awarded in 1901, on the anniversary of Nobel's death.", False),
        ("The prize was won for the first time in 1901.", False),
    ],
)
def test_a_sentence_that_states_a_cause(sentence: str, states: bool) -> None:
    assert states_reason(sentence, "What did he win the Nobel Prize for?") is states


@pytest.mark.parametrize(
    ("sentence", "part", "states"),
    [
        # A trial report took Edison's definition as the answer to why Tesla fell out with
        # him: what someone is known for is not the reason of anything else.
        (
            "Thomas Alva Edison was an American inventor and businessman known for his work "
            "on the incandescent light bulb.",
            "Why did he fall out with Thomas Edison?",
            False,
        ),
        (
            "Thomas Alva Edison was an American inventor and businessman known for his work "
            "on the incandescent light bulb.",
            "Why is Thomas Edison famous?",
            True,
        ),
        (
            'Albert Einstein received the 1921 Nobel Prize in Physics for "his services to '
            'theoretical physics".',
            "Why did Albert Einstein leave Germany?",
            False,
        ),
        # A cause is a reason whatever the part asks.
        (
            "The Black Death was caused by the bacterium Yersinia pestis.",
            "Why did he fall out with Thomas Edison?",
            True,
        ),
    ],
)
def test_what_someone_is_known_for_answers_only_why_they_are_known(
    sentence: str, part: str, states: bool
) -> None:
    assert states_reason(sentence, part) is states


@pytest.mark.parametrize(
    ("sentence", "part", "counts"),
    [
        # A trial report on the human genome took the chromosomes for the count of genes.
        (
            "The human genome is a complete set of DNA sequences for each of the 22 autosomes "
            "and the two distinct sex chromosomes.",
            "How many genes does it contain?",
            False,
        ),
        (
            "The human genome holds about 20,000 protein-coding genes.",
            "How many genes does it contain?",
            True,
        ),
        ("It has one gene for each protein.", "How many genes does it contain?", True),
        ("There are 195 countries.", "How many countries are there?", True),
        # People are counted as deaths too.
        ("The pandemic caused 25 million deaths.", "How many people did it kill?", True),
        ("Its population is 8 million.", "How large is it?", True),
        # A count of a named kind of moon is not the count of moons.
        (
            "Europa is the smallest of Jupiter's four Galilean moons.",
            "How many moons does Jupiter have?",
            False,
        ),
        (
            "Jupiter has 95 known moons, including the four large Galilean moons.",
            "How many moons does Jupiter have?",
            True,
        ),
        ("Europa is an icy moon.", "How many moons does Jupiter have?", False),
        ("The number of known moons is 95.", "How many moons does Jupiter have?", True),
    ],
)
def test_a_how_many_part_is_answered_by_a_count_of_what_it_asks_about(
    sentence: str, part: str, counts: bool
) -> None:
    assert counts_what_is_asked(sentence, part) is counts


@pytest.mark.parametrize(
    ("sentence", "part", "says"),
    [
        # A trial report took "Who invented the Internet?" as answered by this one.
        (
            "The Internet carries a vast range of information services, such as the World "
            "Wide Web (WWW), electronic mail and file sharing.",
            "Who invented the Internet?",
            False,
        ),
        (
            "Tim Berners-Lee is best known as the inventor of the World Wide Web.",
            "Who invented the Web?",
            True,
        ),
        (
            "Penicillin was discovered in 1928 by Alexander Fleming.",
            "Who discovered penicillin?",
            True,
        ),
        ("Hamlet was written by William Shakespeare.", "Who wrote Hamlet?", True),
        ("Hamlet is a tragedy set in Denmark.", "Who wrote Hamlet?", False),
        # Who built a building: its builders, its patron, its tomb's owner.
        ("It served as the tomb of Pharaoh Khufu.", "Who built the Great Pyramid of Giza?", True),
        (
            "It was commissioned in 1631 by the fifth Mughal emperor, Shah Jahan.",
            "Who built the Taj Mahal?",
            True,
        ),
        ("Construction began under the Emperor Vespasian.", "Who built the Colosseum?", True),
        (
            "Stonehenge is a prehistoric megalithic structure on Salisbury Plain in Wiltshire.",
            "Who built Stonehenge?",
            False,
        ),
        # The name of the thing asked about says nothing of who made it (a trial report).
        (
            'The Empire State Building\'s name is derived from "Empire State", the nickname '
            "of New York state.",
            "Who built the Empire State Building?",
            False,
        ),
        (
            "The Empire State Building was constructed between 1930 and 1931.",
            "Who built the Empire State Building?",
            True,
        ),
        # Who governs a place: a verb of governing, or what it is a territory of (a trial
        # report declared "Who governs Greenland?" beside the first).
        (
            "Greenland is an autonomous territory of the Kingdom of Denmark.",
            "Who governs Greenland?",
            True,
        ),
        ("Vatican City is governed by the See of Rome.", "Who governs Vatican City?", True),
        ("Greenland is the world's largest island.", "Who governs Greenland?", False),
        # Who conquered it: a verb of conquest, the conqueror's title, the fall it brought (a
        # trial report declared "Who conquered the Aztec Empire?" beside the first).
        (
            "Cortés was a Spanish conquistador who caused the fall of the Aztec Empire.",
            "Who conquered the Aztec Empire?",
            True,
        ),
        (
            "Tenochtitlan was the Aztec capital until it was captured by the Spanish.",
            "Who conquered the Aztec Empire?",
            True,
        ),
        (
            "The Aztecs were a Mesoamerican civilization that flourished in central Mexico.",
            "Who conquered the Aztec Empire?",
            False,
        ),
        # Not a part about who originated something.
        (
            "The United States landed the first men on the Moon.",
            "Who first landed on the Moon?",
            True,
        ),
        # Any other verb: the verb itself, or "first" after "Who first".
        (
            "Neil Armstrong became the first person to walk on the Moon.",
            "Who first landed on the Moon?",
            True,
        ),
        (
            "Edmund Hillary and Tenzing Norgay became the first climbers confirmed to have "
            "reached the summit of Mount Everest.",
            "Who first climbed Mount Everest?",
            True,
        ),
        # A trial report's body under "Who first climbed Mount Everest?".
        (
            "K2, at 8,611 metres above sea level, is the second-highest mountain on Earth, "
            "after Mount Everest.",
            "Who first climbed Mount Everest?",
            False,
        ),
        ("Spain won the final in extra time.", "Who won the 2010 World Cup?", True),
        # A trial report declared "Who carried them out?" beside this sentence.
        (
            "The September 11 attacks were a coordinated series of suicide attacks "
            "perpetrated by the Islamic terrorist organization al-Qaeda.",
            "Who carried them out?",
            True,
        ),
        ("The attacks killed 2,977 victims.", "Who carried them out?", False),
        # Who attended a meeting is said by who represented whom, or took part in it.
        (
            "The three states were represented by President Franklin D. Roosevelt, Prime "
            "Minister Winston Churchill, and General Secretary Joseph Stalin.",
            "Who attended the Yalta Conference?",
            True,
        ),
        ("The conference was held in February 1945.", "Who attended it?", False),
        # "gave" shares no stem with "gift" (a trial report declared the part beside it).
        (
            "The copper-clad statue, a gift to the United States from the people of France, "
            "was designed by Bartholdi.",
            "Who gave it to the United States?",
            True,
        ),
        ("The statue stands on Liberty Island.", "Who gave it to the United States?", False),
        (
            "The two sides were the United States and the Soviet Union.",
            "Who were the two sides?",
            True,
        ),
        # Who developed something is said by who created, invented or pioneered it (a trial
        # report declared the part beside this sentence).
        (
            "Edward Jenner pioneered the concept of vaccines and created the smallpox vaccine, "
            "the world's first vaccine.",
            "Who developed the first vaccine?",
            True,
        ),
        ("Edward Jenner was an English physician.", "Who developed the first vaccine?", False),
        # A painted work "by" its maker says who painted it (a trial report declared the
        # part beside this sentence); one restored or commissioned "by" someone does not.
        (
            "The chapel's fame lies mainly in the frescoes that decorate its interior, most "
            "particularly the Sistine Chapel ceiling and The Last Judgment, both by Michelangelo.",
            "Who painted the Sistine Chapel ceiling?",
            True,
        ),
        (
            "The fresco was restored by the Vatican Museums in 1980.",
            "Who painted the Sistine Chapel ceiling?",
            False,
        ),
        # A work's music "by" someone says who composed it (a trial report declared the part
        # beside this sentence); being premiered by a company does not.
        (
            "Don Giovanni is an opera in two acts with music by Wolfgang Amadeus Mozart to an "
            "Italian libretto by Lorenzo Da Ponte.",
            "Who composed Don Giovanni?",
            True,
        ),
        (
            "Don Giovanni was premiered by the Prague Italian opera on 29 October 1787.",
            "Who composed Don Giovanni?",
            False,
        ),
        # A review's examples: scoring points, or music influenced by a region.
        ("Each team tries to score points by grounding a ball.", "Who composed it?", False),
        ("Salsa music is mainly influenced by Caribbean styles.", "Who composed it?", False),
    ],
)
def test_a_who_invented_part_is_answered_by_a_sentence_saying_who_did(
    sentence: str, part: str, says: bool
) -> None:
    assert names_the_originator(sentence, part) is says


@pytest.mark.parametrize(
    ("sentence", "part", "names"),
    [
        # A trial report called both parts answered by Jupiter's mass, size and orbit.
        (
            "Jupiter is a gas giant with a mass nearly 2.5 times that of all the other planets.",
            "What is the Great Red Spot on Jupiter?",
            False,
        ),
        (
            "The Great Red Spot is a persistent high-pressure region in Jupiter's atmosphere.",
            "How long has the Great Red Spot on Jupiter existed?",
            True,
        ),
        # "of" belongs to names; a part placing nothing is left alone.
        ("It was built c. 2600 BC.", "When was the Great Pyramid of Giza built?", True),
        ("Jupiter is a gas giant.", "What is Jupiter made of?", True),
    ],
)
def test_a_part_placing_a_named_thing_on_another_needs_a_sentence_naming_it(
    sentence: str, part: str, names: bool
) -> None:
    assert names_what_is_located(sentence, part) is names


def test_every_kind_has_a_part_pattern_and_a_sentence_test() -> None:
    # A kind added to the enum without its patterns would raise (KeyError) or never be asked.
    from lyceum.research.answer_type import _ASKS

    asked = {kind for kind, _ in _ASKS}
    for kind in AnswerType:
        assert kind in asked
        assert carries("Nothing of the kind.", kind) in (True, False)


def test_a_part_asking_an_effect_on_something_needs_a_sentence_naming_it() -> None:
    # A trial report called "What was the Industrial Revolution's effect on cities?" answered
    # by the revolution's dates and definition.
    part = "What was the Industrial Revolution's effect on cities?"
    dates = "Beginning in Great Britain around 1760, the Industrial Revolution spread to Europe."
    assert not names_the_affected(dates, part)
    assert names_the_affected("Many people moved from farms to the cities.", part)
    changed = "How did it change the spread of knowledge in Europe?"
    assert names_the_affected("Printing spread literacy across Europe.", changed)
    assert not names_the_affected("Gutenberg was a goldsmith from Mainz.", changed)
    assert names_the_affected(dates, "What was the Industrial Revolution?")  # asks no effect
    # Any sentence on an effect is on the body or on people (a trial report had declared
    # "How does coffee affect the body?" beside "… a stimulating effect on humans …").
    coffee = "Coffee has a stimulating effect on humans due to its caffeine content."
    assert names_the_affected(coffee, "How does coffee affect the body?")


def test_who_made_something_is_answered_by_a_verb_of_making() -> None:
    # A trial report declared "Who made the moai of Easter Island?" beside its answer.
    part = "Who made the moai of Easter Island?"
    carved = "Moai are monolithic human figures carved from stone by the Rapa Nui people."
    assert names_the_originator(carved, part)
    assert not names_the_originator("Easter Island is a special territory of Chile.", part)


def test_a_which_is_the_largest_part_needs_that_superlative_unranked() -> None:
    # A trial report answered it with Neptune (fourth-largest), Eris and Mercury (smallest).
    part = "Which planet is the largest in the Solar System?"
    assert not names_the_superlative("Neptune is the fourth-largest planet.", part)
    assert not names_the_superlative("Eris is the second-largest-known dwarf planet.", part)
    assert not names_the_superlative("Mercury is the smallest in the Solar System.", part)
    assert names_the_superlative("Jupiter is the largest in the Solar System.", part)
    populous = "Which city is the most populous?"
    assert names_the_superlative("Tokyo is the most populous city in the world.", populous)
    assert not names_the_superlative("Delhi is the second most populous city.", populous)
    assert names_the_superlative("Anything at all.", "How do tides form?")
    # "Highest" says "tallest" of a mountain (a trial report declared the part beside it).
    tallest = "What is the tallest mountain on Earth?"
    assert names_the_superlative(
        "Mount Everest is Earth's highest mountain above sea level.", tallest
    )
    assert not names_the_superlative("K2 is the second-highest mountain on Earth.", tallest)
    # Held to a place the part does not name, it is another superlative (a trial report
    # printed Kilimanjaro's under the part); the world's, or the part's own place, is not.
    assert not names_the_superlative("Kilimanjaro is the highest mountain in Africa.", tallest)
    assert names_the_superlative("Everest is the highest mountain in the world.", tallest)
    largest = "What is the largest ocean?"
    pacific = "The Pacific Ocean is the largest and deepest of Earth's five oceanic divisions."
    assert names_the_superlative(pacific, largest)
    japan = "Which city is the largest in Japan?"
    assert names_the_superlative("Tokyo is the largest city in Japan.", japan)


def test_a_superlative_without_its_noun_needs_any_superlative_unranked() -> None:
    # A trial report took tea's definition, naming three countries, as the answer.
    part = "Which countries produce the most?"
    tea = (
        "Tea is an aromatic beverage prepared with leaves of Camellia sinensis, native to the "
        "borderlands of southwestern China, northeast India and northern Myanmar."
    )
    assert not names_the_superlative(tea, part)
    assert names_the_superlative("China is the largest producer of tea.", part)
    assert names_the_superlative("China and India produce the most tea.", part)
    assert not names_the_superlative("India is the second-largest producer of tea.", part)


def test_a_relation_of_a_person_is_answered_by_naming_it_or_its_converse() -> None:
    # A trial report took "Who was Cleopatra's father?" as answered by a descendant of the
    # dynasty's founder.
    father = "Who was Cleopatra's father?"
    founder = "Cleopatra was a descendant of its founder Ptolemy I Soter, a Macedonian general."
    assert not names_the_relation(founder, father)
    assert names_the_relation("Cleopatra was the daughter of Ptolemy XII Auletes.", father)
    successor = "Who was Genghis Khan's successor?"
    assert names_the_relation("Ögedei Khan was the second khan of the Mongol Empire.", successor)
    assert not names_the_relation("Genghis Khan was the first khan.", successor)
    # Any other part is not held to it.
    assert names_the_relation(founder, "Who was Cleopatra?")


def test_a_part_naming_a_year_needs_that_year_or_a_span_holding_it() -> None:
    # A trial report answered it (of Ebola) with COVID-19's spread from January 2020.
    part = "How did the 2014 outbreak spread?"
    covid = "Starting in January 2020, the disease spread worldwide."
    assert not names_the_year(covid, part)
    assert names_the_year("The 2014 outbreak spread through Guinea and Sierra Leone.", part)
    assert names_the_year("The 2013–2016 epidemic in West Africa spread to cities.", part)
    assert not names_the_year("The 2016–2018 epidemic spread to cities.", part)
    assert names_the_year(covid, "How does the disease spread?")


@pytest.mark.parametrize(
    ("sentence", "part", "names"),
    [
        # A trial report took these as answering it; the lead names no painting.
        (
            "While his fame initially rested on his achievements as a painter, he has also "
            "become known for his notebooks.",
            "What did Leonardo da Vinci paint?",
            False,
        ),
        (
            "The chapel's fame lies mainly in the frescoes that decorate its interior, both by "
            "Michelangelo.",
            "What did Michelangelo paint in the Sistine Chapel?",
            True,
        ),
        (
            "He is best known for his collaboration with Karl Marx, with whom he co-authored "
            "The Communist Manifesto.",
            "What did Friedrich Engels write with Marx?",
            True,
        ),
        (
            "Ludwig van Beethoven was a German composer, conductor, and pianist.",
            "What did Beethoven compose?",
            False,
        ),
        # Inventions and buildings have no common name: the work kind's own test stands.
        (
            "He is known for his contributions to the design of the modern AC system.",
            "What did Nikola Tesla invent?",
            True,
        ),
    ],
)
def test_what_someone_painted_wrote_or_composed_is_answered_by_naming_such_a_work(
    sentence: str, part: str, names: bool
) -> None:
    assert names_the_work(sentence, part) is names


@pytest.mark.parametrize(
    ("part", "kind"),
    [
        # A trial report took "Symptoms start two hours to five days after exposure" for how
        # cholera spreads.
        ("How does cholera spread?", AnswerType.TRANSMISSION),
        ("How did the Spanish flu spread?", AnswerType.TRANSMISSION),
        ("How does the Zika virus spread?", AnswerType.TRANSMISSION),
        # Not of a disease: how far, or across what.
        ("How did the Renaissance spread?", None),
        ("How do wildfires spread?", None),
    ],
)
def test_how_a_disease_spreads_asks_its_route_of_infection(
    part: str, kind: AnswerType | None
) -> None:
    assert asked_type(part) is kind


def test_a_possessive_inside_a_part_keeps_its_kind() -> None:
    # "How is their strength measured?" reads "How is earthquakes' strength measured?".
    assert asked_type("How is earthquakes' strength measured?") is AnswerType.MEASUREMENT
    assert asked_type("How is the world's malaria treated?") is AnswerType.TREATMENT


@pytest.mark.parametrize(
    ("sentence", "states"),
    [
        # A trial report on "What did Isaac Newton discover?" printed nothing of his lead.
        (
            "Newton shares credit with Gottfried Wilhelm Leibniz for formulating infinitesimal "
            "calculus.",
            True,
        ),
        (
            "His Principia achieved the first great unification in physics and established classical mechanics.",
            True,
        ),
        ("Sir Isaac Newton was an English polymath.", False),
        # An observatory is no observation (a trial report on the Hubble Space Telescope).
        (
            "The Hubble Space Telescope is named after astronomer Edwin Hubble and is one of "
            "NASA's Great Observatories.",
            False,
        ),
        ("Hubble observed the expansion of the universe.", True),
        # How a structure came to be known (a trial report declared "How was DNA's structure
        # discovered?" beside these two).
        (
            "Francis Crick, James Watson, Rosalind Franklin, and Maurice Wilkins played crucial "
            "roles in deciphering the helical structure of the DNA molecule.",
            True,
        ),
        (
            "In 1953, James Watson and Francis Crick co-authored an academic paper in Nature "
            "proposing the double helix structure of the DNA molecule.",
            True,
        ),
        ("DNA and ribonucleic acid (RNA) are nucleic acids.", False),
    ],
)
def test_what_a_scientist_is_credited_with_states_a_discovery(sentence: str, states: bool) -> None:
    assert carries(sentence, AnswerType.DISCOVERY) is states


@pytest.mark.parametrize(
    ("sentence", "states"),
    [
        # A trial report took this for where the Rosetta Stone was found.
        (
            "The top and middle texts are in Ancient Egyptian using hieroglyphic and Demotic "
            "scripts, while the bottom is in Ancient Greek.",
            False,
        ),
        ("The word comes from Greek.", False),
        ("It is found in the Brazilian Amazon.", True),
        ("It sank in the Atlantic.", True),
        ("The stone was found in Rashid, Egypt.", True),
    ],
)
def test_a_language_is_no_place(sentence: str, states: bool) -> None:
    assert carries(sentence, AnswerType.PLACE) is states


def test_a_critical_role_states_significance() -> None:
    # A trial report declared "Why is photosynthesis important?" beside this sentence.
    sentence = (
        "Photosynthesis plays a critical role in producing and maintaining the oxygen content "
        "of the Earth's atmosphere."
    )
    assert carries(sentence, AnswerType.SIGNIFICANCE)
    assert not carries(
        "Photosynthesis is a system of biological processes.", AnswerType.SIGNIFICANCE
    )


def test_a_key_route_states_significance() -> None:
    # A trial report declared "Why is the Suez Canal important for trade?" beside it.
    sentence = "The 193.3-kilometre-long canal is a key trade route between Europe and Asia."
    assert carries(sentence, AnswerType.SIGNIFICANCE)
    assert carries("Singapore is a major shipping hub.", AnswerType.SIGNIFICANCE)
    assert not carries("The canal is 193 kilometres long.", AnswerType.SIGNIFICANCE)


def test_a_use_or_a_share_of_the_world_states_significance() -> None:
    # A trial report declared "Why is groundwater important?" beside both.
    used = (
        "Groundwater is also often withdrawn for agricultural, municipal, and industrial use "
        "by constructing and operating extraction wells."
    )
    assert carries(used, AnswerType.SIGNIFICANCE)
    share = "About 30 percent of all readily available fresh water in the world is groundwater."
    assert carries(share, AnswerType.SIGNIFICANCE)
    # A trial report declared "Why is the Golden Temple sacred?" beside this one.
    holiest = "It is the pre-eminent spiritual site of Sikhism and its holiest site."
    assert carries(holiest, AnswerType.SIGNIFICANCE)
    assert not carries("Groundwater lies in rock pore spaces.", AnswerType.SIGNIFICANCE)
    # What she is known for, what she was first to do: a trial report declared "Why is Ada
    # Lovelace remembered?" beside both.
    known = "Ada Lovelace was a mathematician chiefly known for work on the analytical engine."
    assert carries(known, AnswerType.SIGNIFICANCE)
    first = "Ada Lovelace was the first to recognise the machine had applications beyond it."
    assert carries(first, AnswerType.SIGNIFICANCE)
    # What good it does: a trial report declared "Why is recycling important?" beside both.
    saves = "It is an alternative to waste disposal that can save material."
    assert carries(saves, AnswerType.SIGNIFICANCE)
    prevents = "Recycling can also prevent the waste of potentially useful materials."
    assert carries(prevents, AnswerType.SIGNIFICANCE)
    assert not carries("Recycling converts waste into new materials.", AnswerType.SIGNIFICANCE)


def test_how_something_is_made_is_its_making_or_what_it_is_made_from() -> None:
    kind = AnswerType.MAKING
    assert carries("Steelmaking is the process of producing steel from iron ore.", kind)
    assert carries("Concrete is composed of aggregate bound together with cement.", kind)
    assert carries("Cement mixed with sand and gravel produces concrete.", kind)
    assert carries("Basic oxygen steelmaking uses liquid pig iron as the main feed material.", kind)
    # A trial report took "How is glass made?" as answered by these.
    assert not carries("Glass is an amorphous (non-crystalline) solid.", kind)
    assert not carries("Some common objects made of glass are named after the material.", kind)
    assert not carries("Glass has found widespread use in window panes and tableware.", kind)


def test_what_something_is_made_of_is_its_parts_or_its_material() -> None:
    kind = AnswerType.COMPOSITION
    assert carries("An atom consists of a nucleus of protons and generally neutrons.", kind)
    assert carries(
        "Reefs are formed of colonies of coral polyps held together by calcium carbonate.", kind
    )
    assert carries("A ring system is a disc composed of numerous solid bodies such as dust.", kind)
    assert carries("It is a massive sphere of hot plasma.", kind)
    assert carries(
        "Saturn is a gas giant, with an average radius of about 9 times that of Earth.", kind
    )
    assert carries("The copper-clad statue was a gift to the United States from France.", kind)
    assert carries("The Sun is about 73% hydrogen.", kind)
    # A trial report declared "What is the violin made of?" beside both.
    assert carries("The violin, sometimes referred to as a fiddle, is a wooden chordophone.", kind)
    assert carries("Most violins have a hollow wooden body and four strings.", kind)
    assert not carries("The violin is the smallest instrument in the violin family.", kind)
    assert not carries("It can be played by striking the strings with the wooden bow.", kind)
    # What a trial report printed under "What are Saturn's rings made of?" and "What is
    # Saturn made of?".
    assert not carries("Saturn is the sixth planet from the Sun and the second largest.", kind)
    assert not carries("Saturn has an eighth of the average density of Earth.", kind)
    assert not carries("The Moon is the only natural satellite of Earth.", kind)
    # Its section keeps context, as a mechanism's: held to the kind, the dev section on
    # what coral reefs are made of dropped "Coral species include the important reef
    # builders that … secrete calcium carbonate to form a hard skeleton".
    assert asked_type("What are coral reefs made of?") is kind
    assert section_kind("What are coral reefs made of?") is None


def test_how_a_crop_is_grown_is_its_planting_farming_or_harvest() -> None:
    kind = AnswerType.GROWING
    assert carries("Rice is grown in flooded paddies.", kind)
    assert carries("Rice polycultures such as rice-duck farming control pests.", kind)
    assert not carries("China, India, and Indonesia are the largest consumers of rice.", kind)
    assert not carries("Rice is the seed of the grass species Oryza sativa.", kind)
    # What becomes of a harvest is not how the crop is grown (the rerun's short answer).
    assert not carries("Much of the rice produced is lost after harvest.", kind)


@pytest.mark.parametrize(
    ("part", "kind"),
    [
        # How something does what it does (trial reports took definitions for the answer).
        ("How does anesthesia work?", AnswerType.MECHANISM),
        ("How do chameleons change colour?", AnswerType.MECHANISM),
        ("How does yeast make bread rise?", AnswerType.MECHANISM),
        ("How does the heart pump blood?", AnswerType.MECHANISM),
        # A course of events, a comparison, an effect, an ending: not a mechanism.
        ("How did Christopher Columbus reach the Americas?", None),
        ("How do mitosis and meiosis differ?", None),
        ("How does the play end?", AnswerType.ENDING),
        ("How do hurricanes form?", AnswerType.FORMATION),
    ],
)
def test_how_something_works_asks_a_mechanism(part: str, kind: AnswerType | None) -> None:
    assert asked_type(part) is kind


def test_a_mechanism_is_a_process_a_means_a_cause_or_an_action() -> None:
    kind = AnswerType.MECHANISM
    assert carries("The agent stimulates the immune system to recognize the agent.", kind)
    assert carries("Photosynthesis is a system of biological processes by which plants convert "
                   "light energy into chemical energy.", kind)  # fmt: skip
    assert carries("They may either kill or inhibit the growth of bacteria.", kind)
    assert carries("This organ pumps blood through the blood vessels.", kind)
    # A state, a kind, a purpose or a capacity says nothing of how (the trial reports).
    assert not carries("Anesthesia is a state of controlled, temporary loss of sensation or "
                       "awareness that is induced for medical purposes.", kind)  # fmt: skip
    assert not carries("Topical anesthesia is generally used to reduce pain.", kind)
    assert not carries("The species exhibit considerable variability in their capacity to "
                       "change colour.", kind)  # fmt: skip


def test_a_mechanism_part_is_answered_only_by_a_sentence_naming_what_it_asks_how() -> None:
    part = "How does yeast make bread rise?"
    # A trial report took the yeast's definition for the answer.
    assert not names_the_action("A yeast is a fungus that reproduces via budding or fission.", part)
    assert names_the_action("Yeast makes dough rise by producing carbon dioxide.", part)
    assert names_the_action("Bread dough is leavened by yeast.", part)
    # "How does X work?" asks nothing beyond X, nor does a lone verb (a trial report
    # declared "How do hot air balloons fly?" beside the sentence below).
    assert names_the_action("Anesthetics block nerve signals.", "How does anesthesia work?")
    buoyant = "The heated air inside the envelope makes it buoyant, since it is less dense."
    assert names_the_action(buoyant, "How do hot air balloons fly?")
    assert carries(buoyant, AnswerType.MECHANISM)
    assert names_the_action("Anything.", "What is yeast?")


def test_what_happened_to_someone_asks_a_fate() -> None:
    kind = AnswerType.FATE
    assert asked_type("What happened to Amelia Earhart?") is kind
    assert asked_type("What became of the Roanoke colony?") is kind
    # What happened at a place asks for the event, not a fate.
    assert asked_type("What happened at Chernobyl?") is None
    assert kind in OF_THE_SUBJECT
    assert carries("Earhart disappeared over the Pacific Ocean in 1937.", kind)
    assert carries("Non-avian dinosaurs became extinct 66 million years ago.", kind)
    # A trial report declared "What happened to Pompeii?" beside this.
    assert carries("Pompeii was buried under volcanic ash in the eruption of Vesuvius.", kind)
    # Trial reports took her description, and another's exile, for the answer.
    assert not carries("It was proposed by Demetrius, an exiled statesman, to Ptolemy I.", kind)
    assert not carries("Amelia Mary Earhart was an American aviator and aviation pioneer who "
                       "became one of the most celebrated figures of early flight.", kind)  # fmt: skip


def test_what_sets_something_apart_is_a_superlative_a_rarity_or_an_exception() -> None:
    # Two trial reports declared "Why is it unique/unusual?" beside these.
    kind = AnswerType.DISTINCTION
    assert carries("Lake Baikal is a rift lake and the deepest lake in the world.", kind)
    assert carries("It is one of the few species of venomous mammals.", kind)
    assert carries("Monotremes are mammals that lay eggs instead of giving birth.", kind)
    assert carries("It is the sole living representative of its family.", kind)
    assert not carries("Lake Baikal is situated in southern Siberia, Russia.", kind)
    assert not carries("Platypuses hunt in rivers and forest streams.", kind)


def test_a_source_is_said_by_what_something_comes_from() -> None:
    # A trial report declared "Where does groundwater come from?" beside the first.
    assert carries("Groundwater is recharged from the surface.", AnswerType.SOURCE)
    assert carries("Most methane is produced by microbes.", AnswerType.SOURCE)
    # Where a crop comes from is a place.
    assert carries("Most species are native to China and East Asia.", AnswerType.SOURCE)
    assert not carries(
        "Groundwater is the water present beneath Earth's surface in rock.", AnswerType.SOURCE
    )


def test_what_something_matters_to_must_be_named() -> None:
    # A trial report answered the Istanbul part with today's city, never naming the empire.
    part = "Why was Istanbul important to the Ottoman Empire?"
    assert not names_what_it_matters_to(
        "Istanbul straddles the Bosphorus – one of the world's busiest waterways.", part
    )
    assert names_what_it_matters_to("It was the capital of the Ottoman Empire.", part)
    trade = "Why is the Suez Canal important for trade?"
    assert names_what_it_matters_to(
        "The canal is a key trade route between Europe and Asia.", trade
    )
    assert not names_what_it_matters_to("The canal is 193 kilometres long.", trade)
    assert names_what_it_matters_to("Anything at all.", "Why is the Suez Canal important?")


def test_how_tall_is_answered_by_a_number_not_a_rank() -> None:
    # A trial report called "How tall is Niagara Falls?" answered by a rank of size.
    part = "How tall is Niagara Falls?"
    assert not states_a_measure("The largest of the three is Horseshoe Falls.", part)
    assert states_a_measure("The Horseshoe Falls drop about 57 metres.", part)
    # "How big …?" may be answered by a rank.
    assert states_a_measure("It was the largest contiguous empire.", "How big was it?")


def test_a_painting_with_an_article_is_a_work_of_the_painter() -> None:
    # A trial report dropped this sentence with "What did Pablo Picasso paint?", which it
    # declared.
    part = "What did Pablo Picasso paint?"
    assert names_the_work("Guernica is a large 1937 oil painting by Pablo Picasso.", part)
    assert not names_the_work("He is known for his painting and sculpture.", part)


@pytest.mark.parametrize(
    ("sentence", "states"),
    [
        # A trial report gave this as the answer to what caused the revolution: it says
        # what the revolution caused.
        (
            "The Iranian Revolution led to the replacement of the Imperial State of Iran by "
            "the Islamic Republic of Iran.",
            False,
        ),
        ("Discontent with the Shah led to the revolution.", True),
        ("The revolution was caused by discontent with the Shah.", True),
        (
            "The Iranian Revolution began because of discontent with the Shah, and it led to "
            "an Islamic republic.",
            True,
        ),
    ],
)
def test_what_a_thing_caused_is_not_what_caused_it(sentence: str, states: bool) -> None:
    assert states_reason(sentence, "What caused the Iranian Revolution?") is states
    # The same sentences, asked why something else happened, state a cause.
    assert states_reason(sentence, "Why did the Shah leave Iran?")


def test_what_a_trait_does_answers_why_it_is_had() -> None:
    # A trial report on the hammerhead declared the part beside both sentences of its lead.
    part = "Why do hammerhead sharks have hammer-shaped heads?"
    functions = (
        "Many different functions have been postulated for the cephalofoil, including sensory "
        "reception, manoeuvering, and prey manipulation."
    )
    vision = "The cephalofoil gives the shark superior binocular vision and depth perception."
    genus = "Most hammerhead species are placed in the genus Sphyrna."
    assert states_reason(functions, part) and states_reason(vision, part)
    assert not states_reason(genus, part)
    # Only a part asking why something has a trait reads a function as its reason.
    assert not states_reason(vision, "Why did the Roman Empire fall?")


def test_a_review_s_counterexamples_to_this_stop_s_kinds() -> None:
    # What a review of the new rules found them getting wrong, now right.
    cause = "What caused the Iranian Revolution?"
    assert states_reason("The Iranian Revolution's causes included discontent.", cause)
    assert states_reason("The revolution had deep roots: repression led to anger.", cause)
    assert not states_reason(
        "The Iranian Revolution led to an Islamic republic.", f"{cause[:-1]} of 1979?"
    )
    assert states_reason(
        "During the Black Death, the bacterium Yersinia pestis caused bubonic plague.",
        "What caused the Black Death?",
    )
    assert carries(
        "Rosalind Franklin performed X-ray diffraction experiments on DNA.", AnswerType.DISCOVERY
    )
    assert not carries("No specific treatment exists.", AnswerType.TREATMENT)
    assert not carries("Without effective treatment, death occurs.", AnswerType.TREATMENT)
    assert carries("It is given with or without antibiotics.", AnswerType.TREATMENT)
    assert not carries("The actor was wooden.", AnswerType.COMPOSITION)
    assert not carries("The phone comes in a plastic case.", AnswerType.COMPOSITION)
    trait = "Why do hammerhead sharks have hammer-shaped heads?"
    assert not states_reason("Hammerhead sharks have no known advantage over others.", trait)
    assert not states_reason("Hammerheads function as apex predators.", trait)
    assert not states_reason(
        "The Moon's phases serve to mark the months.", "Why does the Moon have phases?"
    )
    people = "How many people live in Kiribati?"
    assert not counts_what_is_asked("Kiribati comprises 32 atolls and other islands.", people)
    assert counts_what_is_asked("Kiribati has a population of about 120,000.", people)


@pytest.mark.parametrize(
    ("sentence", "states"),
    [
        # A result clause of the sentence's own: what the change was made for.
        (
            "The principal change was to space leap years slightly differently to make the "
            "average calendar year 365.2425 days long rather than the Julian calendar's 365.25 "
            "days, thus more closely approximating the 365.2422-day tropical, or solar, year.",
            True,
        ),
        ("The canal was widened, thereby allowing larger ships to pass.", True),
        # A sentence adverb points back to a cause the sentence does not state.
        ("Insulin is thus an anabolic hormone, promoting the conversion of molecules.", False),
        ("Dinosaurs can therefore be divided into avian and non-avian dinosaurs.", False),
        # Any other result is an effect, not a reason (a review's counterexamples).
        ("The Supreme Soviet voted to dissolve the union, thereby ending the Cold War.", False),
        ("The army crossed the Neman, thus beginning the French invasion of Russia.", False),
    ],
)
def test_a_result_clause_states_a_reason(sentence: str, states: bool) -> None:
    part = "Why did the Gregorian calendar replace the Julian calendar?"
    assert states_reason(sentence, part) is states


def test_a_large_contributor_states_significance() -> None:
    # A trial report declared "Why is a hydrogen bond important for water?" beside it.
    sentence = (
        "Water, being a polar molecule, undergoes strong intermolecular hydrogen bonding which "
        "is a large contributor to its physical and chemical properties."
    )
    assert carries(sentence, AnswerType.SIGNIFICANCE)
    # A contributor named without its weight says nothing of importance, nor does a ranking
    # of contributors (a review's counterexample).
    assert not carries("Hydrogen bonds contribute to water.", AnswerType.SIGNIFICANCE)
    ranked = "The United States is the largest contributor to the United Nations budget."
    assert not carries(ranked, AnswerType.SIGNIFICANCE)


def test_a_share_counts_what_a_how_many_part_asks_about() -> None:
    # A trial report on the Late Ordovician extinction declared "How many species died?"
    # with this sentence in its short answer.
    part = "How many species died?"
    share = (
        "Extinction was global during this interval, eliminating 49–60% of marine genera and "
        "nearly 85% of marine species."
    )
    assert counts_what_is_asked(share, part)
    assert counts_what_is_asked("About 85 percent of the species died out.", part)
    # A share of something else does not count them.
    assert not counts_what_is_asked("Nearly 85% of marine genera died out.", part)


@pytest.mark.parametrize(
    "sentence",
    [
        # A trial report took these for what caused the Late Ordovician mass extinction:
        # they say what it caused, through a pronoun standing for it.
        "The extinction event had a profound impact on all major contemporary taxonomic "
        "groups; it caused the disappearance of one third of all brachiopod families.",
        "Despite its taxonomic severity, the Late Ordovician mass extinction did not produce "
        "major changes to ecosystem structures, nor did it lead to any particular "
        "morphological innovations.",
        "The mass extinction, which led to the loss of many families, was global.",
    ],
)
def test_what_a_thing_caused_through_its_pronoun_is_not_what_caused_it(sentence: str) -> None:
    part = "What caused the Late Ordovician mass extinction?"
    assert not states_reason(sentence, part)
    # The cause of something else, the thing's own cause, and a pronoun after the cause
    # still state one.
    assert states_reason(sentence, "Why did the brachiopods decline?")
    assert states_reason("The mass extinction was global; glaciation caused it.", part)
    assert states_reason("The extinction was global, and it was caused by glaciation.", part)


def test_a_machine_s_motions_say_how_it_works() -> None:
    # A trial report declared "How does a four-stroke engine work?" beside its page's
    # account of the four strokes.
    kind = AnswerType.MECHANISM
    assert carries(
        "A four-stroke engine is an internal combustion engine in which the piston completes "
        "four separate strokes while turning the crankshaft.",
        kind,
    )
    assert carries("The compressed air-fuel mixture is ignited by a spark plug.", kind)
    assert not carries("A four-stroke engine is a kind of internal combustion engine.", kind)


def test_a_review_s_counterexamples_to_this_stop_s_reasons_counts_and_motions() -> None:
    # What a deed is done to or for is a purpose only when it is one.
    why = "Why did hip-hop dance become popular?"
    for sentence in [
        "Hip-hop dance is a range of street dance styles primarily performed to hip-hop music.",
        "The heating is commonly done to a temperature of 180–220 °C.",
        "The performing arts are performed for an audience.",
        "The haka has been performed for over 200 years.",
    ]:
        assert not states_reason(sentence, why), sentence
    # A relative or a pronoun after another noun or clause is not the asked thing's.
    for sentence, part in [
        (
            "The Great Depression began after the stock market crash of October 1929, which "
            "triggered a wave of bank failures across the United States.",
            "What caused the Great Depression?",
        ),
        (
            "The Dust Bowl followed years of intensive farming on the Great Plains that led to "
            "severe soil erosion.",
            "What caused the Dust Bowl?",
        ),
        (
            "The Irish famine struck after a potato blight spread across Europe; it caused the "
            "failure of successive harvests.",
            "What caused the Irish famine?",
        ),
    ]:
        assert states_reason(sentence, part), sentence
    # A share of all of a wider group, or not of a loss, is no count.
    assert not counts_what_is_asked(
        "Rodents make up about 40% of all mammal species.", "How many species of rodents are there?"
    )
    assert not counts_what_is_asked(
        "Red dwarfs make up about 75% of the stars in the Milky Way.",
        "How many stars are in the Milky Way?",
    )
    # Turning, burning and heating that move no part say nothing of how a thing works.
    kind = AnswerType.MECHANISM
    for sentence in [
        "A bicycle, also called a pedal cycle, bike or push-bike, is a human-powered vehicle.",
        "Fireplaces are used for the relaxing ambiance they create and for heating a room.",
        "In 426 AD a fire burned down the temple of the Olympian Zeus.",
        "The city in turn became the capital.",
    ]:
        assert not carries(sentence, kind), sentence


def test_what_a_thing_lasted_until_says_how_it_ended() -> None:
    # A trial report declared "How did the Great Depression end?" with this sentence in its
    # short answer.
    lasted = (
        "The Wall Street crash of 1929 marked what would later cascade into the worldwide "
        "Great Depression that lasted until the United States entered into World War II."
    )
    assert carries(lasted, AnswerType.ENDING)
    assert not carries("The Great Depression began in 1929.", AnswerType.ENDING)
