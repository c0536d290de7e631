import json

from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.research.planner import PlannedQuestion, PlanOut, make_plan, scaffold_plan
from lyceum.research.settings import ResearchSettings

QUESTION = "How do plants turn light into sugar?"


def test_scaffold_fills_the_plan_to_breadth_when_the_model_proposes_too_few() -> None:
    config = ResearchSettings(breadth=4, queries_per_question=2)
    proposed = PlanOut(
        sub_questions=[PlannedQuestion(question="What role does chlorophyll play in plants?")]
    )
    plan = scaffold_plan(QUESTION, proposed, config)
    assert [sq.id for sq in plan.sub_questions] == ["q1", "q2", "q3", "q4"]
    assert plan.sub_questions[0].question == QUESTION
    assert plan.sub_questions[1].question == "What role does chlorophyll play in plants?"
    assert all(1 <= len(sq.queries) <= 2 for sq in plan.sub_questions)
    assert {sq.origin for sq in plan.sub_questions[2:]} == {"scaffold"}


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


async def test_planner_uses_the_model_and_offers_past_episodes() -> None:
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
        model, QUESTION, ResearchSettings(breadth=2), episodes=["plant sugar -> calvin cycle"]
    )
    assert plan.summary == "Light then carbon."
    assert plan.sub_questions[1].queries[0] == "chlorophyll"
    assert "calvin cycle" in model.history[0].messages[-1].content


async def test_unusable_planner_output_degrades_to_the_scaffold_and_is_recorded() -> None:
    model = ScriptedBackend(["not json", "still not json"])
    problems: list[str] = []
    plan = await make_plan(model, QUESTION, ResearchSettings(breadth=3), problems=problems)
    assert len(plan.sub_questions) == 3
    assert problems and "scaffold" in problems[0]
