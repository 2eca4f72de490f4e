// The case library: GET /v1/cases filtered here by words, type and tag; a case opened from
// GET /v1/cases/{id} (question and a figure with the hepatic names hidden), its answer
// revealed from GET /v1/cases/{id}?answer=true. The open case is kept in the address (#id).
import { el, figure, getJSON, setUpTextSize, showProblem } from "./common.js";

setUpTextSize();

const form = document.getElementById("filters");
const list = document.getElementById("case-list");
const count = document.getElementById("count");
const detail = document.getElementById("detail");
const problem = document.getElementById("problem");
const TYPES = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"];
let cases = [];
let openId = null;

function typeOf(item) {
  return item.type.startsWith("Michels ") ? item.type.slice(8) : item.type;
}

function fillFilters() {
  const types = [...TYPES.map((t) => [t, `Michels ${t}`]), ["unclassified", "Unclassified"],
    ["incomplete", "Incomplete study"]];
  const present = new Set(cases.map(typeOf));
  form.type.append(...types.filter(([value]) => present.has(value))
    .map(([value, text]) => el("option", { value }, text)));
  const tags = [...new Set(cases.flatMap((c) => c.tags))].sort();
  form.tag.append(...tags.map((tag) => el("option", { value: tag }, tag)));
}

function matches(item, words, type, tag) {
  if (type && typeOf(item) !== type) return false;
  if (tag && !item.tags.includes(tag)) return false;
  const text = `${item.id} ${item.title} ${item.source || ""} ${item.tags.join(" ")}`.toLowerCase();
  return words.every((word) => text.includes(word));
}

function showList() {
  const words = form.search.value.toLowerCase().split(/\s+/).filter(Boolean);
  const found = cases.filter((c) => matches(c, words, form.type.value, form.tag.value));
  list.replaceChildren(...found.map((item) => el(
    "li",
    {},
    el("button", {
      type: "button",
      "data-case": item.id,
      "aria-current": item.id === openId ? "true" : "false",
      onclick: () => openCase(item.id, true),
    }, item.title, el("span", { class: "kind" }, `${item.type} · ${item.difficulty}`)),
  )));
  count.textContent = `${found.length} of ${cases.length} cases`;
}

function references(items) {
  return el("ul", {}, items.map((ref) => {
    const link = ref.url || (ref.doi ? `https://doi.org/${ref.doi}` : null);
    return el("li", {}, ref.citation, link ? " " : null,
      link ? el("a", { href: link, rel: "noopener noreferrer", target: "_blank" }, new URL(link).host) : null);
  }));
}

function caseFigure(id, withAnswer) {
  const url = `/v1/cases/${encodeURIComponent(id)}/diagram${withAnswer ? "?answer=true" : ""}`;
  return withAnswer
    ? figure(url, "The case's arterial tree with every vessel named and the classification",
      "Named: replaced arteries dashed (orange), accessory dotted (blue); the patient's right on the viewer's left.")
    : figure(url, "The case's arterial tree; the hepatic arteries and trunk by letter, their names hidden",
      "The hepatic arteries and trunk by letter (names hidden); each vessel shows the segments it supplies.");
}

async function revealAnswer(id, button) {
  button.disabled = true;
  try {
    const found = await getJSON(`/v1/cases/${encodeURIComponent(id)}?answer=true`);
    const answer = found.answer;
    const type = answer.michels ? `Michels ${answer.michels}` : answer.outcome === "incomplete"
      ? "Incomplete study: no type yet" : "Unclassified: no Michels type";
    const box = el(
      "section",
      { class: "answer-box", id: "answer", "aria-labelledby": "answer-heading", tabindex: "-1" },
      el("h3", { id: "answer-heading" }, "Answer"),
      el("p", { class: "verdict" }, type, answer.hiatt ? ` · Hiatt ${answer.hiatt}` : " · no Hiatt type"),
      answer.variants.length ? el("p", {}, `Named variants outside Michels: ${answer.variants.join(", ")}`) : null,
      el("p", {}, answer.explanation),
      found.case.notes ? el("h3", {}, "Notes: what the report states, what was inferred") : null,
      found.case.notes ? el("p", {}, found.case.notes) : null,
      el("h3", {}, "References"),
      references(answer.references),
    );
    detail.querySelector(".figure").replaceWith(caseFigure(id, true));
    button.replaceWith(box);
    box.focus();
  } catch (error) {
    button.disabled = false;
    showProblem(problem, error);
  }
}

async function openCase(id, focus) {
  try {
    const found = await getJSON(`/v1/cases/${encodeURIComponent(id)}`);
    openId = id;
    showProblem(problem, null);
    const tumors = found.case.tumors || [];
    const reveal = el("button", { type: "button", id: "reveal" }, "Reveal the answer");
    reveal.addEventListener("click", () => revealAnswer(id, reveal));
    detail.replaceChildren(
      el("h2", { id: "case-title" }, found.title),
      el("p", { class: "meta" }, [found.modality, found.difficulty].filter(Boolean).join(" · ")),
      el("p", {}, found.tags.map((tag) => el("span", { class: "tag" }, tag))),
      el("p", { class: "question" }, found.question),
      caseFigure(id, false),
      tumors.length ? el("h3", {}, "Tumors") : null,
      tumors.length ? el("ul", {}, tumors.map((t) => el("li", {},
        `${t.id}: segment${t.segments.length > 1 ? "s" : ""} ${t.segments.join(", ")}`
        + (t.diameter_mm ? `, ${t.diameter_mm} mm` : "")))) : null,
      el("p", { class: "meta" }, `Source: ${found.source || "not given"}`),
      reveal,
    );
    if (location.hash !== `#${id}`) history.replaceState(null, "", `#${id}`);
    for (const button of list.querySelectorAll("button[data-case]")) {
      button.setAttribute("aria-current", button.dataset.case === id ? "true" : "false");
    }
    if (focus) detail.focus();
  } catch (error) {
    showProblem(problem, error);
  }
}

async function load() {
  try {
    cases = (await getJSON("/v1/cases")).cases;
    fillFilters();
    showList();
    const wanted = decodeURIComponent(location.hash.slice(1));
    if (wanted && cases.some((c) => c.id === wanted)) openCase(wanted, false);
  } catch (error) {
    count.textContent = "";
    showProblem(problem, error);
  }
}

form.addEventListener("input", showList);
form.addEventListener("submit", (event) => event.preventDefault());
load();
