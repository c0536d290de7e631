import json

from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.research.planner import PlannedQuestion, PlanOut, make_plan, scaffold_plan
from lyceum.research.settings import ResearchSettings

QUESTION = "How do plants turn light into sugar?"


def test_aspects_fill_the_plan_to_breadth_when_the_model_proposes_too_few() -> None:
    config = ResearchSettings(breadth=4, queries_per_question=2)
    proposed = PlanOut(
        sub_questions=[PlannedQuestion(question="What role does chlorophyll play in plants?")]
    )
    plan = scaffold_plan(QUESTION, proposed, config, aspects=["Calvin cycle", "Stoma"])
    assert [sq.id for sq in plan.sub_questions] == ["q1", "q2", "q3", "q4"]
    assert plan.sub_questions[0].question == QUESTION
    assert plan.sub_questions[1].question == "What role does chlorophyll play in plants?"
    assert [sq.title for sq in plan.sub_questions[2:]] == ["Calvin cycle", "Stoma"]
    assert {sq.origin for sq in plan.sub_questions[2:]} == {"aspect"}
    assert all(1 <= len(sq.queries) <= 2 for sq in plan.sub_questions)


def test_a_thin_plan_has_no_template_headings() -> None:
    plan = scaffold_plan(QUESTION, None, ResearchSettings(breadth=5))
    assert [sq.title for sq in plan.sub_questions] == [QUESTION]
    assert not any(":" in sq.title for sq in plan.sub_questions)


def test_every_part_of_the_question_is_a_sub_question_even_beyond_breadth() -> None:
    question = "How do vaccines work, and what limits their effectiveness?"
    proposed = PlanOut(sub_questions=[PlannedQuestion(question="Which vaccines exist today?")])
    plan = scaffold_plan(question, proposed, ResearchSettings(breadth=1), aspects=["Vaccine"])
    parts = [sq for sq in plan.sub_questions if sq.origin == "part"]
    # The second part leans on the first for its subject: it is asked as it reads alone.
    assert [sq.title for sq in parts] == [
        "How do vaccines work?",
        "What limits vaccines' effectiveness?",
    ]
    assert [sq.question for sq in parts] == [sq.title for sq in parts]
    assert [sq.part for sq in parts] == [0, 1]
    assert len(plan.sub_questions) == 2  # breadth is met by the parts alone
    assert "vaccines" in parts[1].queries[0]


def test_a_lone_question_word_is_asked_as_a_question_of_its_own() -> None:
    question = "Who built the Great Pyramid of Giza, when, and how long did it take?"
    plan = scaffold_plan(question, None, ResearchSettings(breadth=3))
    assert [sq.question for sq in plan.sub_questions if sq.origin == "part"] == [
        "Who built the Great Pyramid of Giza?",
        "When was the Great Pyramid of Giza built?",
        "How long did the Great Pyramid of Giza take?",
    ]


def test_sub_questions_the_caller_found_off_topic_are_left_out() -> None:
    proposed = PlanOut(
        sub_questions=[
            PlannedQuestion(question="How do neutron stars form in plants?"),
            PlannedQuestion(question="Which pigments let plants absorb light?"),
        ]
    )
    plan = scaffold_plan(QUESTION, proposed, ResearchSettings(breadth=3), on_topic={1})
    texts = [sq.question for sq in plan.sub_questions]
    assert "How do neutron stars form in plants?" not in texts
    assert "Which pigments let plants absorb light?" in texts


def test_off_topic_and_duplicate_sub_questions_are_dropped() -> None:
    proposed = PlanOut(
        sub_questions=[
            PlannedQuestion(question="Who won the football world cup in 1998?"),
            PlannedQuestion(question="How do plants turn light into sugar?"),
            PlannedQuestion(
                question="Which pigments let plants absorb light?", queries=["plant pigments light"]
            ),
        ]
    )
    plan = scaffold_plan(QUESTION, proposed, ResearchSettings(breadth=3))
    texts = [sq.question for sq in plan.sub_questions]
    assert "Who won the football world cup in 1998?" not in texts
    assert texts.count(QUESTION) == 1
    assert plan.sub_questions[1].queries[0] == "plant pigments light"


def test_sentence_long_queries_become_keywords() -> None:
    long_query = (
        "what are all of the many different ways in which plants are able to turn light into sugar"
    )
    proposed = PlanOut(
        sub_questions=[
            PlannedQuestion(
                question="How do plants store sugar made from light?", queries=[long_query]
            )
        ]
    )
    plan = scaffold_plan(QUESTION, proposed, ResearchSettings(breadth=2))
    assert all(len(q.split()) <= 10 for sq in plan.sub_questions for q in sq.queries)


def test_the_schemas_own_words_are_no_queries() -> None:
    # A test report's plan searched the collection for "maxItems".
    proposed = PlanOut(
        sub_questions=[
            PlannedQuestion(
                question="How do plants store sugar made from light?",
                queries=["maxItems", "sub_questions"],
            ),
            PlannedQuestion(
                question="Where do plants store the sugar they make?",
                queries=["plant sugar storage", "description"],
            ),
        ]
    )
    plan = scaffold_plan(QUESTION, proposed, ResearchSettings(breadth=3))
    queries = [q for sq in plan.sub_questions for q in sq.queries]
    assert "plant sugar storage" in queries
    assert not {"maxItems", "sub_questions", "description"} & set(queries)


async def test_planner_uses_the_model_and_sees_past_queries_but_never_past_questions() -> None:
    reply = json.dumps(
        {
            "summary": "Light then carbon.",
            "sub_questions": [
                {
                    "question": "How does chlorophyll capture light in plants?",
                    "queries": ["chlorophyll"],
                }
            ],
        }
    )
    model = ScriptedBackend([reply])
    plan = await make_plan(
        model, QUESTION, ResearchSettings(breadth=2), past_queries=["calvin cycle sugar"]
    )
    assert plan.summary == "Light then carbon."
    assert plan.sub_questions[1].queries[0] == "chlorophyll"
    prompt = model.history[0].messages[-1].content
    assert "calvin cycle sugar" in prompt


async def test_unusable_planner_output_degrades_to_the_parts_and_aspects_and_is_recorded() -> None:
    model = ScriptedBackend(["not json", "still not json"])
    problems: list[str] = []
    plan = await make_plan(
        model, QUESTION, ResearchSettings(breadth=3), aspects=["Calvin cycle"], problems=problems
    )
    assert [sq.origin for sq in plan.sub_questions] == ["part", "aspect"]
    assert problems and "planned without the model" in problems[0]


async def test_the_planner_schema_allows_no_more_sub_questions_than_the_plan_keeps() -> None:
    # With room for eight, the embedded model repeated one sub-question until its token
    # budget ran out; the cut-off JSON failed, and so did its repair.
    reply = json.dumps({"sub_questions": [{"question": "How does chlorophyll capture light?"}]})
    model = ScriptedBackend([reply])
    await make_plan(model, QUESTION, ResearchSettings(breadth=3))
    schema = model.history[0].params.json_schema or {}
    assert schema["properties"]["sub_questions"]["maxItems"] == 3
    assert schema["title"] == "PlanOut"


def test_a_summary_of_questions_is_no_plan_and_is_dropped() -> None:
    # The embedded model's "summary" for the dinosaur question of the dev set.
    proposed = PlanOut(
        summary="What was the first dinosaur to be killed? What was the last dinosaur?",
        sub_questions=[],
    )
    assert scaffold_plan(QUESTION, proposed, ResearchSettings(breadth=2)).summary == ""
    proposed.summary = "Read on light capture, then on carbon fixation."
    assert scaffold_plan(QUESTION, proposed, ResearchSettings(breadth=2)).summary.startswith("Read")
