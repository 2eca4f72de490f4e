// The quiz: a set from GET /v1/quiz (no answers in it), one question at a time; each answer
// checked by POST /v1/quiz/check, which says whether it is right, why, and the source. The
// score is counted here: the server keeps nothing.
import { el, figure, getJSON, setUpTextSize, showProblem } from "./common.js";

setUpTextSize();

const $ = (id) => document.getElementById(id);
const setup = $("setup");
const problem = $("problem");
const state = { questions: [], index: 0, correct: 0, answered: 0, seed: null, kinds: [], count: 10 };

async function start(seed) {
  const kinds = new FormData(setup).getAll("kinds");
  if (!kinds.length) {
    showProblem(problem, new Error("choose at least one kind of question"));
    return;
  }
  const params = new URLSearchParams({ count: setup.count.value });
  if (seed !== null && seed !== "") params.set("seed", String(seed));
  for (const kind of kinds) params.append("kinds", kind);
  $("start").disabled = true;
  try {
    const found = await getJSON(`/v1/quiz?${params}`);
    showProblem(problem, null);
    Object.assign(state, { questions: found.questions, index: 0, correct: 0, answered: 0, seed: found.seed });
    setup.hidden = true;
    $("done").hidden = true;
    $("quiz").hidden = false;
    showQuestion();
  } catch (error) {
    showProblem(problem, error);
  } finally {
    $("start").disabled = false;
  }
}

function showScore() {
  $("score").textContent = `Score: ${state.correct} / ${state.answered}`;
}

function showQuestion() {
  const question = state.questions[state.index];
  $("progress").textContent =
    `Question ${state.index + 1} of ${state.questions.length} · seed ${state.seed}`;
  showScore();
  const heading = $("question-heading");
  heading.textContent = question.title;
  $("quiz").dataset.question = question.id;
  $("prompt").textContent = question.prompt;
  const choices = $("choices");
  choices.replaceChildren(
    el("legend", {}, "Your answer"),
    ...question.choices.map((choice) => el(
      "label",
      { "data-key": choice.key },
      el("input", { type: "radio", name: "answer", value: choice.key, required: true }),
      el("span", {}, `${choice.key}. ${choice.text}`),
    )),
  );
  const slot = $("figure-slot");
  slot.replaceChildren(question.figure
    ? figure(question.figure, "The question's figure: an arterial tree; hepatic arteries by letter where their names are hidden",
      "The patient's right on the viewer's left; each vessel shows the segments it supplies.")
    : "");
  $("layout").classList.toggle("no-figure", !question.figure);
  $("feedback").hidden = true;
  $("check").hidden = false;
  $("next").hidden = true;
  heading.focus();
}

async function checkAnswer(event) {
  event.preventDefault();
  const question = state.questions[state.index];
  const picked = new FormData($("answer-form")).get("answer");
  const feedback = $("feedback");
  if (!picked) {
    feedback.className = "feedback";
    feedback.replaceChildren(el("p", {}, "Choose an answer first."));
    feedback.hidden = false;
    return;
  }
  $("check").disabled = true;
  try {
    const found = await getJSON("/v1/quiz/check", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ answers: [{ question: question.id, answer: picked }] }),
    });
    const result = found.results[0];
    state.answered += 1;
    state.correct += result.correct ? 1 : 0;
    showScore();
    for (const label of $("choices").querySelectorAll("label")) {
      const key = label.dataset.key;
      label.querySelector("input").disabled = true;
      if (key === result.answer_key) label.classList.add("right");
      else if (key === picked) label.classList.add("wrong");
    }
    feedback.className = `feedback ${result.correct ? "right" : "wrong"}`;
    feedback.replaceChildren(
      el("p", { class: "verdict" }, result.correct ? `Right: ${result.answer}.` : `Not right. The answer: ${result.answer}.`),
      el("p", {}, result.explanation),
      el("p", { class: "sources" }, `Source: ${result.sources.join("; ")}`),
    );
    feedback.hidden = false;
    $("check").hidden = true;
    const next = $("next");
    next.textContent = state.index + 1 < state.questions.length ? "Next question" : "See the score";
    next.hidden = false;
    feedback.focus();
  } catch (error) {
    showProblem(problem, error);
  } finally {
    $("check").disabled = false;
  }
}

function next() {
  state.index += 1;
  if (state.index < state.questions.length) {
    showQuestion();
    return;
  }
  $("quiz").hidden = true;
  $("done").hidden = false;
  const percent = state.answered ? Math.round((100 * state.correct) / state.answered) : 0;
  $("final").textContent = `Score: ${state.correct} / ${state.answered} (${percent} %) · seed ${state.seed}`;
  $("done-heading").focus();
}

setup.addEventListener("submit", (event) => {
  event.preventDefault();
  start(setup.seed.value);
});
$("answer-form").addEventListener("submit", checkAnswer);
$("next").addEventListener("click", next);
$("again").addEventListener("click", () => start(null));
$("same").addEventListener("click", () => start(state.seed));
