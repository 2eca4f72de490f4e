// The gallery: every pattern of GET /v1/variants as a card with its figure, prevalence
// rows and teaching notes; a filter by scheme and a jump list.
import { el, figure, getJSON, setUpTextSize, showProblem } from "./common.js";

setUpTextSize();

const cards = document.getElementById("cards");
const jump = document.getElementById("jump");
const status = document.getElementById("status");
const problem = document.getElementById("problem");

function label(variant) {
  return variant.type ? `Michels ${variant.type}` : "Outside Michels";
}

function prevalenceTable(rows) {
  return el(
    "table",
    { class: "rows" },
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "%"), el("th", { scope: "col" }, "n"),
      el("th", { scope: "col" }, "Population"), el("th", { scope: "col" }, "Source"))),
    el("tbody", {}, rows.map((row) => el(
      "tr",
      {},
      el("td", { class: "number" }, row.percent === null ? "—" : `${row.percent} %`),
      el("td", { class: "number" }, row.n !== null && row.of ? `${row.n}/${row.of}` : row.of ? `of ${row.of}` : "—"),
      el("td", {}, row.population || ""),
      el("td", { class: "source" }, row.source + (row.note ? ` (${row.note})` : "")),
    ))),
  );
}

function card(variant) {
  const title = `${label(variant)}: ${variant.name}`;
  return el(
    "article",
    { class: "card", id: variant.id, "data-scheme": variant.scheme, "aria-labelledby": `${variant.id}-title` },
    el("header", { class: "card-head" },
      el("h2", { id: `${variant.id}-title` },
        el("span", { class: "type" }, label(variant)), el("span", { class: "name" }, variant.name)),
      el("p", { class: "meta" }, variant.hiatt ? `Hiatt ${variant.hiatt}` : "No Hiatt type")),
    figure(`/v1/variants/${encodeURIComponent(variant.id)}/diagram`, `Figure: ${title}`, null),
    el(
      "div",
      { class: "card-text" },
      el("p", {}, variant.definition),
      el("h3", {}, "How often"),
      prevalenceTable(variant.prevalence),
      variant.teaching.length ? el("h3", {}, "Teaching notes") : null,
      variant.teaching.length ? el("ul", {}, variant.teaching.map((note) => el("li", {}, note))) : null,
      variant.catheter_route ? el("h3", {}, "Catheter route") : null,
      variant.catheter_route ? el("p", {}, variant.catheter_route) : null,
    ),
  );
}

function applyFilter() {
  const scheme = new FormData(document.getElementById("filters")).get("scheme");
  let shown = 0;
  for (const node of cards.children) {
    const visible = scheme === "all" || node.dataset.scheme === scheme;
    node.hidden = !visible;
    shown += visible ? 1 : 0;
  }
  for (const item of jump.children) {
    item.hidden = scheme !== "all" && item.dataset.scheme !== scheme;
  }
  status.textContent = `Showing ${shown} of ${cards.children.length}.`;
}

async function load() {
  try {
    const found = await getJSON("/v1/variants");
    cards.replaceChildren(...found.variants.map(card));
    const michels = found.variants.filter((v) => v.scheme === "michels");
    const others = found.variants.filter((v) => v.scheme !== "michels");
    jump.replaceChildren(
      el("li", { "data-scheme": "michels" }, el("span", { class: "jump-label" }, "Michels"),
        el("ul", {}, michels.map((v) => el("li", {}, el("a", { href: `#${v.id}` }, v.type))))),
      el("li", { "data-scheme": "non_michels" }, el("details", {},
        el("summary", {}, `Outside Michels (${others.length})`),
        el("ul", {}, others.map((v) => el("li", {}, el("a", { href: `#${v.id}` }, v.name)))))),
    );
    applyFilter();
    if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
  } catch (error) {
    status.textContent = "";
    showProblem(problem, error);
  }
}

document.getElementById("filters").addEventListener("change", applyFilter);
load();
