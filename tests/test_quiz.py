"""The quiz (anatomy/teaching/quiz.py, kinds.py, question.py, figures.py).

Every question is checked against itself (its answer is right, exactly one choice is,
the other letters are wrong); each kind against an answer the literature gives for a
pattern's example (Michels 1966 as data/michels_variants/ writes the types; the response
criteria of Eisenhauer 2009 and Lencioni & Llovet 2010); answers are read tolerantly but
never read as two things; question sets are reproducible; a figure to be read gives no
name away.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from anatomy.case import parse_case
from anatomy.pipeline import answer
from anatomy.reference.patterns import pattern
from anatomy.reference.quiz_data import KIND_IDS, quiz_data
from anatomy.reference.vocabulary import all_kinds
from anatomy.teaching import Question, Solution, builtin_pool, check, questions, score
from anatomy.teaching.documents import check_document, question_document
from anatomy.teaching.figures import Figure, case_document, figure_dot, unlabelled
from anatomy.teaching.question import types_reader, words_reader

POOL = builtin_pool()


def every() -> Iterator[tuple[Question, Solution]]:
    for found in POOL.by_kind.values():
        for question in found:
            yield question, POOL.solution(question.id)


def made_from(kind: str, subject: str) -> list[tuple[Question, Solution]]:
    return [
        (q, POOL.solution(q.id))
        for q in POOL.by_kind[kind]
        if POOL.solution(q.id).subject == subject
    ]


def right_letter(question: Question) -> str:
    accepted = POOL.solution(question.id).accepted
    (index,) = [i for i, c in enumerate(question.choices) if c.value in accepted]
    return chr(ord("A") + index)


class TestEveryQuestion:
    def test_every_kind_has_questions(self) -> None:
        assert set(POOL.by_kind) == set(KIND_IDS)
        assert all(len(found) >= 10 for found in POOL.by_kind.values())

    def test_its_own_answer_is_right_and_exactly_one_choice_is(self) -> None:
        for question, solution in every():
            assert check(POOL, question.id, solution.answer).correct, question.id
            right = [c for c in question.choices if c.value in solution.accepted]
            assert len(right) == 1, question.id
            assert len({c.value for c in question.choices}) == len(question.choices)

    def test_each_letter_is_right_or_wrong_as_its_choice_is(self) -> None:
        for question, solution in every():
            for i, choice in enumerate(question.choices):
                found = check(POOL, question.id, chr(ord("a") + i))
                assert found.correct == (choice.value in solution.accepted), question.id

    def test_ids_are_unique_and_say_nothing(self) -> None:
        ids = [q.id for q, _ in every()]
        assert len(ids) == len(set(ids))
        for question, solution in every():
            assert question.id.startswith("q") and len(question.id) == 11
            assert solution.subject.partition(":")[2] not in question.id

    def test_every_explanation_has_a_source(self) -> None:
        for question, solution in every():
            assert solution.explanation.strip(), question.id
            assert solution.sources, question.id

    def test_a_question_document_holds_no_answer(self) -> None:
        for question, solution in every():
            document = question_document(question)
            assert set(document) == {"id", "kind", "title", "prompt", "choices", "figure", "about"}
            assert solution.explanation not in str(document)


class TestNameTheType:
    @pytest.mark.parametrize(
        ("variant", "answer"),
        [("michels-iii", "III"), ("michels-viiia", "VIIIa"), ("rha-from-gda", "unclassified")],
    )
    def test_the_answer_is_the_patterns_type(self, variant: str, answer: str) -> None:
        ((question, solution),) = made_from("name_type", f"variant:{variant}")
        assert answer in solution.accepted
        assert question.figure is not None and question.figure.hide_hepatic_names
        assert question.about is None  # naming the pattern would give the answer

    def test_type_viii_is_accepted_for_either_subtype(self) -> None:
        ((question, _),) = made_from("name_type", "variant:michels-viiib")
        assert check(POOL, question.id, "Michels VIII").correct
        assert check(POOL, question.id, "8b").correct
        assert not check(POOL, question.id, "VIIIa").correct

    def test_an_unclassified_tree_is_explained_by_its_nearest_type(self) -> None:
        ((_, solution),) = made_from("name_type", "variant:rha-from-gda")
        assert solution.explanation.count("Nearest Michels") == 1
        assert "gastroduodenal" in solution.explanation

    def test_partial_studies_are_not_asked(self) -> None:
        # Its type is provisional: a missing run could change it.
        assert made_from("name_type", "case:khassaf-2025-celiac-run-only") == []


class TestReplacedOrAccessory:
    def test_michels_vi_artery_from_the_sma_is_accessory(self) -> None:
        ((question, solution),) = made_from("replaced_or_accessory", "variant:michels-vi")
        assert "arises from the SMA" in question.prompt
        assert solution.accepted == {"accessory"}
        assert "also receives normal supply" in solution.explanation
        assert check(POOL, question.id, "an accessory RHA").correct

    def test_michels_iv_has_two_replaced_arteries(self) -> None:
        found = made_from("replaced_or_accessory", "variant:michels-iv")
        assert sorted(s.answer for _, s in found) == ["Replaced", "Replaced"]
        assert all("only supply" in s.explanation for _, s in found)


class TestCatheter:
    def test_michels_iii_segment_vii_goes_through_the_sma_to_the_replaced_rha(self) -> None:
        (item,) = [
            (q, s)
            for q, s in made_from("catheter", "variant:michels-iii")
            if "segment VII " in q.prompt
        ]
        question, solution = item
        assert solution.accepted == {"rrha"}
        assert "Ao > SMA > rRHA" in solution.explanation
        assert "SMA is never a catheter position" in solution.explanation
        for said in ("rrha", "rRHA", "replaced RHA", "replaced right hepatic artery"):
            assert check(POOL, question.id, said).correct, said
        assert not check(POOL, question.id, "SMA").correct

    def test_a_tumor_with_several_tips_is_not_asked(self) -> None:
        # Srinivasarao 2013: V-VIII have a normal and an accessory RHA, so two tips.
        prompts = [
            q.prompt for q, _ in made_from("catheter", "case:srinivasarao-2013-accessory-rha-sma")
        ]
        assert prompts and not any("segment VI " in p for p in prompts)


class TestNotExcluded:
    def test_a_michels_i_study_without_the_sma_leaves_vi_open(self) -> None:
        found = made_from("not_excluded", "variant:michels-i")
        (question, solution) = next((q, s) for q, s in found if "no SMA in the study" in q.prompt)
        assert solution.accepted == {"VI"}
        assert "It reads as Michels I" in question.prompt
        assert "accessory right hepatic artery from the SMA" in solution.explanation

    def test_the_published_celiac_run_leaves_iii_open(self) -> None:
        ((question, solution),) = made_from("not_excluded", "case:khassaf-2025-celiac-run-only")
        assert "III" in solution.accepted
        assert question.about == "khassaf-2025-celiac-run-only"


class TestResponse:
    @pytest.mark.parametrize(
        ("exercise", "criterion", "category"),
        [
            ("exactly-thirty-percent", "RECIST 1.1", "PR"),  # -30 % is a partial response
            ("twenty-nine-percent", "RECIST 1.1", "SD"),
            ("small-growth-five-mm-clause", "RECIST 1.1", "SD"),  # +20 % but +4.5 mm
            ("small-growth-five-mm-clause", "mRECIST", "PD"),  # no 5 mm clause
            ("necrosis-without-shrinkage", "mRECIST", "PR"),
            ("no-enhancement-left", "mRECIST", "CR"),
            ("progression-from-the-nadir", "RECIST 1.1", "PD"),
            ("two-targets-per-organ", "RECIST 1.1", "PR"),
        ],
    )
    def test_each_exercise_gets_the_criterions_category(
        self, exercise: str, criterion: str, category: str
    ) -> None:
        (item,) = [
            (q, s)
            for q, s in made_from("response", f"exercise:{exercise}")
            if q.prompt.startswith(f"Which {criterion} ")
        ]
        assert item[1].accepted == {category}

    def test_the_seed_reports_followup_is_not_evaluable(self) -> None:
        # Khassaf & Abed 2025 give no size for the second target after TACE.
        ((question, solution),) = made_from("response", "case:khassaf-2025-rrha-sma-net-tace")
        assert solution.accepted == {"NE"}
        assert "t2 not measured" in solution.explanation
        assert check(POOL, question.id, "not evaluable").correct

    def test_every_exercise_in_the_data_is_asked(self) -> None:
        asked = {POOL.solution(q.id).subject for q in POOL.by_kind["response"]}
        assert {f"exercise:{e.id}" for e in quiz_data().exercises} <= asked


class TestReading:
    @pytest.mark.parametrize(
        ("text", "value"),
        [
            ("III", "III"),
            ("type 3", "III"),
            ("Michels III", "III"),
            ("michels type 3", "III"),
            ("VIII a", "VIIIa"),
            ("8a", "VIIIa"),
            ("VIII", "VIII"),
            ("X", "X"),
            ("10", "X"),
            ("no Michels type", "unclassified"),
            ("III or IV", None),  # two answers are none
            ("Hiatt", None),
        ],
    )
    def test_types(self, text: str, value: str | None) -> None:
        assert types_reader().read(text) == value

    @pytest.mark.parametrize(
        ("text", "value"),
        [
            ("partial", "PR"),
            ("Partial response", "PR"),
            ("non-CR/non-PD", "non-CR/non-PD"),  # not CR: the longer phrase wins
            ("stable or progressive", None),
        ],
    )
    def test_words(self, text: str, value: str | None) -> None:
        reader = words_reader(("CR", "PR", "SD", "PD", "NE", "non-CR/non-PD"))
        assert reader.read(text) == value

    def test_a_wrong_answer_says_what_it_was_read_as(self) -> None:
        question = POOL.by_kind["name_type"][0]
        wrong = next(
            c for c in question.choices if c.value not in POOL.solution(question.id).accepted
        )
        found = check(POOL, question.id, wrong.text)
        assert not found.correct
        assert check_document(found)["read_as"] == wrong.text
        assert check_document(found)["answer_key"] == right_letter(question)

    def test_an_unknown_question_is_a_key_error(self) -> None:
        with pytest.raises(KeyError):
            check(POOL, "q0000000000", "III")


class TestQuestionSets:
    def test_the_same_seed_gives_the_same_set(self) -> None:
        first = questions(POOL, count=12, seed=42)
        assert [q.id for q in first] == [q.id for q in questions(POOL, count=12, seed=42)]
        assert [q.id for q in first] != [q.id for q in questions(POOL, count=12, seed=43)]

    def test_kinds_take_turns_and_no_case_comes_twice(self) -> None:
        found = questions(POOL, count=10, seed=1)
        assert {q.kind for q in found} == set(KIND_IDS)
        subjects = [POOL.solution(q.id).subject for q in found]
        assert len(subjects) == len(set(subjects))

    def test_only_the_kinds_asked_for(self) -> None:
        found = questions(POOL, count=5, seed=1, kinds=["response"])
        assert {q.kind for q in found} == {"response"}

    def test_a_count_beyond_the_pool_gives_the_pool(self) -> None:
        found = questions(POOL, count=10_000, seed=1, kinds=["response"])
        assert len(found) == len(POOL.by_kind["response"])

    def test_an_unknown_kind_is_named(self) -> None:
        with pytest.raises(ValueError, match="unknown question kind trivia"):
            questions(POOL, count=5, seed=1, kinds=["trivia"])

    def test_score(self) -> None:
        asked = questions(POOL, count=3, seed=5)
        checks = [check(POOL, asked[0].id, right_letter(asked[0]))]
        checks += [check(POOL, q.id, "nothing at all") for q in asked[1:]]
        total = score(checks)
        assert (total.correct, total.total, total.percent) == (1, 3, 33)


class TestFigures:
    def test_a_hidden_figure_names_no_hepatic_artery(self) -> None:
        case = parse_case(pattern("III").example)
        dot = figure_dot(Figure(unlabelled(case), hide_hepatic_names=True))
        assert "Michels" not in dot and "replaced" not in dot.lower()
        hepatic = {k.label for k in all_kinds() if k.group in ("hepatic", "hepatic_axis")}
        hepatic |= {k.abbreviation for k in all_kinds() if k.group in ("hepatic", "hepatic_axis")}
        labels = [line for line in dot.splitlines() if "label=<" in line and "Legend" not in line]
        for name in hepatic:
            assert not any(f"<B>{name}</B>" in line for line in labels), name
        assert '"rrha"' not in dot  # ids that say what a vessel is are renamed too

    def test_unlabelled_changes_nothing_the_classifier_reads(self) -> None:
        for variant in ("michels-vi", "michels-viiib", "rha-from-gda", "michels-ix"):
            case = parse_case(pattern(variant).example)
            before, after = answer(case).classification, answer(unlabelled(case)).classification
            assert (after.michels_subtype, after.michels, after.hiatt, after.outcome) == (
                before.michels_subtype,
                before.michels,
                before.hiatt,
                before.outcome,
            )
            assert sorted(a.status for a in after.anatomy.arteries) == sorted(
                a.status for a in before.anatomy.arteries
            )

    def test_a_case_document_reads_back_as_the_same_case(self) -> None:
        case = parse_case(pattern("VII").example)
        again = parse_case(case_document(case))
        assert again.vessels == case.vessels and again.title == case.title
