import json

from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.research.analyst import find_gaps, plan_follow_ups
from lyceum.research.settings import ResearchSettings
from lyceum.research.state import Note, Passage, Plan, QueryRecord, ResearchState, SubQuestion


def _state() -> ResearchState:
    state = ResearchState(run_id="r", question="How do plants use light?")
    state.plan = Plan(
        sub_questions=[
            SubQuestion(
                id="q1", question="How do plants use light?", queries=["plants light"], done=True
            ),
            SubQuestion(
                id="q2", question="Which pigments absorb light?", queries=["pigments"], done=True
            ),
            SubQuestion(
                id="q3",
                question="How is sugar stored in roots?",
                queries=["sugar roots"],
                done=True,
            ),
        ]
    )
    for pid, title in (("p1", "Photosynthesis"), ("p2", "Leaf"), ("p3", "Chlorophyll")):
        state.passages[pid] = Passage(
            id=pid, source="s", hit_id=pid, title=title, path=f"/{title}", text="x"
        )
    state.notes = [
        Note(id="q1.n1", sub_question="q1", claim="a", quote="a", passage_id="p1"),
        Note(id="q1.n2", sub_question="q1", claim="b", quote="b", passage_id="p2"),
        Note(id="q2.n1", sub_question="q2", claim="c", quote="c", passage_id="p3"),
    ]
    state.queries = [
        QueryRecord(sub_question="q3", source="s", query="sugar roots", hits=0, round=0)
    ]
    return state


def test_gaps_are_missing_evidence_and_single_source_evidence() -> None:
    gaps = {(g.sub_question, g.kind) for g in find_gaps(_state())}
    assert gaps == {("q2", "single_source"), ("q3", "no_evidence")}


async def test_follow_ups_take_valid_model_queries_and_fill_the_rest_in_code() -> None:
    reply = json.dumps(
        {
            "follow_ups": [
                {"sub_question": "q2", "query": "chlorophyll carotenoid absorption"},
                {"sub_question": "q1", "query": "not a gap"},  # q1 has no gap
                {"sub_question": "q9", "query": "unknown id"},
                {"sub_question": "q3", "query": "sugar roots"},  # already run
            ]
        }
    )
    state = _state()
    follow_ups = await plan_follow_ups(
        ScriptedBackend([reply]), state, ResearchSettings(), next_round=1
    )
    by_parent = {f.parent: f for f in follow_ups}
    assert set(by_parent) == {"q2", "q3"}
    assert by_parent["q2"].queries[0] == "chlorophyll carotenoid absorption"
    assert by_parent["q3"].queries[0] != "sugar roots" and "sugar" in by_parent["q3"].queries[0]
    assert all(f.round == 1 and f.origin == "gap" and f.id == f"{f.parent}.r1" for f in follow_ups)
    assert {g.sub_question for g in state.gaps} == {"q2", "q3"}


async def test_a_failed_analyst_still_yields_keyword_follow_ups() -> None:
    state = _state()
    follow_ups = await plan_follow_ups(
        ScriptedBackend(["x", "x"]), state, ResearchSettings(), next_round=1
    )
    assert {f.parent for f in follow_ups} == {"q2", "q3"}
    assert any("analyst" in p for p in state.problems)
