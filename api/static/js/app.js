// The web page: wires the editor, the answers and the report together. No build step, no
// framework, nothing fetched from elsewhere; the case lives in this page only (open and
// save it as a file on this computer), and goes to this server only to be answered.

import { getJson, Latest, postJson, ProblemError } from "./api.js";
import { FollowUp } from "./followup.js";
import { Results } from "./results.js";
import { EMPTY_CASE, Store } from "./state.js";
import { TreeEditor } from "./tree.js";
import { TumorEditor } from "./tumors.js";
import { Vocabulary } from "./vocabulary.js";
import { caseYaml, YamlView } from "./yamlview.js";
import { load } from "./vendor-yaml.js";

const $ = (id) => document.getElementById(id);
const say = (text) => {
  $("status").textContent = text;
};

// The access site, as data/access.yaml names it (femoral, left-femoral, radial, right-radial).
const access = () => encodeURIComponent($("access").value);

async function main() {
  let vocabulary;
  try {
    vocabulary = await Vocabulary.load();
  } catch (error) {
    say(`The server could not be reached (${error.message}). Reload the page to try again.`);
    return;
  }
  const store = new Store(EMPTY_CASE);
  const results = new Results({
    onSelectVessel: (id) => {
      store.select("vessel", id);
      tree.focusItem(id);
      say(`Vessel ${id} selected in the editor.`);
    },
  });
  const tree = new TreeEditor(store, vocabulary, { tree: $("tree"), form: $("vessel-form"), status: say });
  const tumors = new TumorEditor(store, vocabulary, { list: $("tumor-list"), form: $("tumor-form"), add: $("add-tumor"), status: say });
  const followup = new FollowUp(store, { status: say });
  new YamlView(store);
  const latest = new Latest(300);

  // -- the answers, as the case changes (debounced; a newer change cancels an older one)
  async function answer(signal) {
    const doc = store.doc;
    try {
      const classified = await postJson("/v1/classify", doc, "json", signal);
      results.clear();
      tree.showProblems(new Map());
      tumors.showProblems(new Map());
      results.versions(classified);
      const summary = results.classification(classified);
      const [plan, svg] = await Promise.all([
        postJson(`/v1/plan?access=${access()}`, doc, "json", signal),
        postJson("/v1/render?format=svg", doc, "text", signal),
      ]);
      results.plan(plan);
      results.diagram(svg, new Set(doc.vessels.map((v) => v.id)));
      results.highlight(store.selected.id);
      return `${summary}. Classification, plan and diagram updated.`;
    } catch (error) {
      if (error.name === "AbortError") throw error;
      if (!(error instanceof ProblemError)) return `The server could not be reached (${error.message}).`;
      const found = results.problems(error.problem, doc);
      tree.showProblems(found.byVessel);
      tumors.showProblems(found.byTumor);
      return `${error.problem.title}: see the problems listed above the classification and next to each vessel or tumor.`;
    }
  }

  async function refresh() {
    say("Updating…");
    const done = await latest.run(answer);
    if (typeof done === "string") say(done);
    else if (done?.error) say(`Something went wrong: ${done.error.message}`);
  }

  store.subscribe((reason) => {
    $("undo").disabled = !store.past.length;
    $("redo").disabled = !store.future.length;
    if (reason === "select") {
      results.highlight(store.selected.id);
      return;
    }
    $("case-title").value = store.doc.title || "";
    $("case-modality").value = store.doc.modality || "";
    refresh();
  });
  $("access").addEventListener("change", refresh);
  $("undo").addEventListener("click", () => store.undo() || say("Nothing to undo."));
  $("redo").addEventListener("click", () => store.redo() || say("Nothing to redo."));
  document.addEventListener("keydown", (event) => {
    const typing = event.target.closest?.("input, textarea, select");
    if (typing || !(event.ctrlKey || event.metaKey)) return;
    const key = event.key.toLowerCase();
    if (key === "z" && !event.shiftKey) {
      event.preventDefault();
      store.undo();
    } else if (key === "y" || (key === "z" && event.shiftKey)) {
      event.preventDefault();
      store.redo();
    }
  });
  $("case-title").addEventListener("change", () =>
    store.change((doc) => {
      const title = $("case-title").value.trim();
      if (title) doc.title = title;
      else delete doc.title;
    }),
  );
  $("case-modality").addEventListener("change", () =>
    store.change((doc) => {
      if ($("case-modality").value) doc.modality = $("case-modality").value;
      else delete doc.modality;
    }),
  );

  // -- where a case comes from: an empty aorta, a built-in case, a pattern, a file ----
  // Each start gives a case and, for a teaching case that has one, its follow-up.
  const starts = new Map([["empty", async () => ({ case: EMPTY_CASE, followup: null })]]);
  try {
    const [cases, variants] = await Promise.all([getJson("/v1/cases"), getJson("/v1/variants")]);
    const builtIn = document.createElement("optgroup");
    builtIn.label = "Cases";
    for (const item of cases.cases) {
      const key = `case:${item.id}`;
      starts.set(key, async () => getJson(`/v1/cases/${encodeURIComponent(item.id)}`));
      builtIn.append(new Option(`${item.title} (${item.type})`, key));
    }
    const patterns = document.createElement("optgroup");
    patterns.label = "Patterns";
    for (const item of variants.variants) {
      const key = `variant:${item.id}`;
      starts.set(key, async () => ({ case: (await getJson(`/v1/variants/${encodeURIComponent(item.id)}`)).example, followup: null }));
      patterns.append(new Option(item.michels ? `Michels ${item.type}: ${item.name}` : `Outside Michels: ${item.name}`, key));
    }
    $("start-from").append(builtIn, patterns);
  } catch {
    // The editor still works from an empty aorta or a file.
  }
  $("start-from").addEventListener("change", async () => {
    const make = starts.get($("start-from").value);
    if (!make) return;
    const label = $("start-from").selectedOptions[0].textContent;
    try {
      const start = await make();
      followup.load(start.followup);
      store.replace(start.case);
      store.select("vessel", store.doc.vessels[0]?.id ?? null);
      say(`Started from: ${label}.${start.followup ? " Its follow-up is entered below." : ""}`);
    } catch (error) {
      say(`Could not load it (${error.message}).`);
    }
  });

  $("open-file").addEventListener("change", () => {
    const file = $("open-file").files[0];
    if (!file) return;
    const reader = new FileReader();
    reader.onload = () => {
      try {
        const doc = load(String(reader.result));
        if (!doc || typeof doc !== "object" || !Array.isArray(doc.vessels)) throw new Error("it has no `vessels:` list");
        followup.load(null);
        store.replace(doc);
        store.select("vessel", store.doc.vessels[0]?.id ?? null);
        say(`Opened ${file.name}.`);
      } catch (error) {
        say(`${file.name} is not a case file: ${error.reason || error.message}.`);
      }
      $("open-file").value = "";
    };
    reader.onerror = () => say("The file could not be read.");
    reader.readAsText(file);
  });

  function save(blob, name) {
    const url = URL.createObjectURL(blob);
    const link = Object.assign(document.createElement("a"), { href: url, download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  $("save-case").addEventListener("click", () => {
    const name = `${store.doc.id || "hepatic-case"}.yaml`;
    save(new Blob([caseYaml(store.doc)], { type: "application/yaml" }), name);
    say(`Saved as ${name} on this computer.`);
  });

  // -- the report: print, or download as HTML or PDF ------------------------------------
  $("print").addEventListener("click", () => window.print());
  for (const format of ["html", "pdf"]) {
    $(`download-${format}`).addEventListener("click", async (event) => {
      const button = event.currentTarget;
      button.disabled = true;
      say(`Writing the report (${format.toUpperCase()})…`);
      try {
        const body = { case: store.doc, followup: followup.document() };
        const blob = await postJson(`/v1/report?format=${format}&access=${access()}`, body, "blob");
        save(blob, `hepatic-report.${format}`);
        say(`The report was downloaded (hepatic-report.${format}).`);
      } catch (error) {
        say(error instanceof ProblemError ? `${error.problem.title}: ${error.problem.detail}` : `The server could not be reached (${error.message}).`);
      } finally {
        button.disabled = false;
      }
    });
  }

  $("undo").disabled = true;
  $("redo").disabled = true;
  say("Start from an empty aorta, a case or a pattern, or open a case file.");
  document.body.dataset.ready = "true";
}

main();
