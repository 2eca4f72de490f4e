// The follow-up step: baseline and follow-up diameters per tumor, new lesions and the
// non-target lesions at one interval ("after TACE 1"; never a date), assessed by
// RECIST 1.1 and mRECIST with POST /v1/response; the arithmetic is shown line by line.

import { postJson, ProblemError } from "./api.js";
import { el } from "./results.js";

const $ = (id) => document.getElementById(id);

export class FollowUp {
  constructor(store, { status }) {
    this.store = store;
    this.say = status;
    this.values = new Map(); // tumor id -> {diameter_mm, enhancing_diameter_mm}
    this.newLesions = [];
    $("assess").addEventListener("click", () => this.assess());
    $("add-new-lesion").addEventListener("click", () => {
      this.newLesions.push({ segments: "", diameter_mm: "" });
      this.renderNew();
      $(`new-lesion-segments-${this.newLesions.length - 1}`)?.focus();
    });
    store.subscribe((reason) => {
      if (reason !== "select") this.render();
    });
    this.render();
  }

  // Fill the form from a follow-up document (its first assessment), or clear it.
  load(doc) {
    this.values = new Map();
    this.newLesions = [];
    const first = doc?.assessments?.[0];
    $("interval").value = first?.interval || "after TACE 1";
    $("non-target").value = first?.non_target || "";
    for (const lesion of first?.lesions || []) {
      const saved = {};
      for (const key of ["diameter_mm", "enhancing_diameter_mm"]) if (lesion[key] !== undefined && lesion[key] !== null) saved[key] = lesion[key];
      this.values.set(String(lesion.id), saved);
    }
    for (const lesion of first?.new_lesions || []) {
      this.newLesions.push({ segments: [].concat(lesion.segments || []).join(", "), diameter_mm: lesion.diameter_mm ?? "" });
    }
    $("response").hidden = true;
    $("response-body").replaceChildren();
    this.render();
  }

  render() {
    const tumors = this.store.doc.tumors || [];
    const body = $("followup-rows");
    body.replaceChildren();
    for (const tumor of tumors) {
      const row = body.insertRow();
      const th = el("th", tumor.label ? `${tumor.label} (${tumor.id})` : tumor.id);
      th.scope = "row";
      row.append(th);
      const saved = this.values.get(tumor.id) || {};
      const cells = [
        ["baseline", "diameter_mm", tumor.diameter_mm, `Baseline diameter of ${tumor.id} (mm)`],
        ["now", "diameter_mm", saved.diameter_mm, `Diameter of ${tumor.id} now (mm)`],
        ["baseline", "enhancing_diameter_mm", tumor.enhancing_diameter_mm, `Baseline enhancing diameter of ${tumor.id} (mm)`],
        ["now", "enhancing_diameter_mm", saved.enhancing_diameter_mm, `Enhancing diameter of ${tumor.id} now (mm)`],
      ];
      for (const [when, key, value, label] of cells) {
        const input = Object.assign(document.createElement("input"), { type: "number", min: "0", step: "0.1", inputMode: "decimal" });
        input.id = `fu-${when}-${key}-${tumor.id}`;
        input.value = value ?? "";
        input.setAttribute("aria-label", label);
        input.addEventListener("change", () => this.set(tumor.id, when, key, input.value));
        row.insertCell().append(input);
      }
    }
    $("followup-empty").hidden = tumors.length > 0;
    $("followup-table").hidden = tumors.length === 0;
    this.renderNew();
  }

  renderNew() {
    const box = $("new-lesions");
    box.replaceChildren();
    this.newLesions.forEach((lesion, i) => {
      const row = el("div", null, "new-lesion");
      const seg = Object.assign(document.createElement("input"), { type: "text", id: `new-lesion-segments-${i}`, value: lesion.segments, placeholder: "e.g. VII" });
      const size = Object.assign(document.createElement("input"), { type: "number", id: `new-lesion-size-${i}`, min: "0", step: "0.1", value: lesion.diameter_mm });
      seg.addEventListener("change", () => { lesion.segments = seg.value; });
      size.addEventListener("change", () => { lesion.diameter_mm = size.value; });
      const remove = Object.assign(document.createElement("button"), { type: "button", className: "secondary", textContent: "Remove" });
      remove.addEventListener("click", () => { this.newLesions.splice(i, 1); this.renderNew(); });
      row.append(
        Object.assign(document.createElement("label"), { htmlFor: seg.id, textContent: `New lesion ${i + 1}: segments` }), seg,
        Object.assign(document.createElement("label"), { htmlFor: size.id, textContent: `New lesion ${i + 1}: diameter (mm)` }), size,
        remove,
      );
      box.append(row);
    });
  }

  set(tumorId, when, key, raw) {
    const value = raw === "" ? null : Number(raw);
    if (when === "baseline") {
      this.store.change((doc) => {
        const tumor = (doc.tumors || []).find((t) => t.id === tumorId);
        if (!tumor) return false;
        if (value === null || (key === "diameter_mm" && value <= 0)) delete tumor[key];
        else tumor[key] = value;
      });
    } else {
      const saved = this.values.get(tumorId) || {};
      if (value === null) delete saved[key];
      else saved[key] = value;
      this.values.set(tumorId, saved);
    }
  }

  // The follow-up document (hepatic-followup/1), or null when nothing was measured.
  document() {
    const tumors = new Set((this.store.doc.tumors || []).map((t) => t.id));
    const lesions = [];
    for (const [id, saved] of this.values) {
      if (!tumors.has(id) || !Object.keys(saved).length) continue;
      lesions.push({ id, ...saved });
    }
    const newLesions = this.newLesions
      .filter((l) => l.segments.trim() || l.diameter_mm !== "")
      .map((l) => {
        const out = { segments: l.segments.split(/[\s,]+/).filter(Boolean) };
        if (l.diameter_mm !== "" && Number(l.diameter_mm) > 0) out.diameter_mm = Number(l.diameter_mm);
        return out;
      });
    if (!lesions.length && !newLesions.length) return null;
    const assessment = { interval: $("interval").value.trim() || "follow-up", lesions, new_lesions: newLesions };
    if ($("non-target").value) assessment.non_target = $("non-target").value;
    const doc = { format: "hepatic-followup/1", assessments: [assessment] };
    if (this.store.doc.id) doc.case = this.store.doc.id;
    return doc;
  }

  async assess() {
    const followup = this.document();
    const out = $("response-body");
    out.replaceChildren();
    if (!followup) {
      out.append(el("p", "Enter at least one measurement now (or a new lesion) first.", "warning"));
      return;
    }
    this.say("Assessing the response…");
    try {
      const body = await postJson("/v1/response", { case: this.store.doc, followup });
      this.show(body.response);
      const first = body.response.assessments[0];
      this.say(`Response: RECIST 1.1 ${first.recist.category}, mRECIST ${first.mrecist.category}.`);
    } catch (error) {
      if (!(error instanceof ProblemError)) throw error;
      const p = error.problem;
      out.append(el("p", `${p.title}: ${p.detail}`, "warning"));
      if (Array.isArray(p.errors)) {
        const ul = el("ul");
        for (const e of p.errors) ul.append(el("li", `${e.pointer.replace(/^\/(case|followup)\//, "$1 ")}: ${e.message} Fix: ${e.fix}.`));
        out.append(ul);
      }
      this.say(`${p.title}.`);
    }
  }

  show(response) {
    const out = $("response-body");
    out.replaceChildren();
    for (const item of response.assessments) {
      out.append(el("h4", item.interval));
      const grid = el("div", null, "criteria");
      for (const [key, name] of [["recist", "RECIST 1.1"], ["mrecist", "mRECIST"]]) {
        const block = item[key];
        const card = el("section", null, "criterion");
        const title = el("h5");
        title.append(`${name}: `, el("span", block.category, `category cat-${block.category.replace(/[^A-Za-z]/g, "")}`));
        card.append(title);
        const pre = el("ul", null, "arithmetic");
        for (const line of block.arithmetic || []) pre.append(el("li", line));
        card.append(pre);
        grid.append(card);
      }
      out.append(grid);
    }
    $("response").hidden = false;
  }
}
