// Tumors: add, select and delete them; each with its segments (the segment map), sizes
// for RECIST and mRECIST, and its location. The planner reads the location from words
// in the tumor's label (dome, subcapsular …), so the location boxes write those words.

import { freeId } from "./state.js";
import { SegmentMap, segmentsText } from "./segments.js";

const SIZES = [
  ["diameter_mm", "Longest diameter (mm)", "RECIST 1.1 uses it."],
  ["short_axis_mm", "Short axis (mm)", ""],
  ["enhancing_diameter_mm", "Enhancing (viable) diameter (mm)", "mRECIST uses it; 0 = no enhancement."],
];

export class TumorEditor {
  constructor(store, vocabulary, { list, form, add, status }) {
    this.store = store;
    this.locations = vocabulary.locations;
    this.listEl = list;
    this.formEl = form;
    this.say = status;
    this.problems = new Map();
    add.addEventListener("click", () => this.addTumor());
    this.buildForm();
    store.subscribe((reason) => this.update(reason));
    this.update("load");
  }

  renderList() {
    const tumors = this.store.doc.tumors || [];
    const selected = this.store.selected.type === "tumor" ? this.store.selected.id : null;
    this.listEl.replaceChildren(
      ...tumors.map((tumor) => {
        const li = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.className = "tumor-item";
        button.setAttribute("aria-pressed", tumor.id === selected ? "true" : "false");
        const size = tumor.diameter_mm ? `, ${tumor.diameter_mm} mm` : "";
        button.textContent = `${tumor.label ? `${tumor.label} (${tumor.id})` : `Tumor ${tumor.id}`}: segment ${segmentsText(tumor.segments)}${size}`;
        if (this.problems.has(tumor.id)) button.textContent += " ⚠";
        button.addEventListener("click", () => this.store.select("tumor", tumor.id));
        li.append(button);
        return li;
      }),
    );
    if (!tumors.length) {
      const li = document.createElement("li");
      li.className = "hint";
      li.textContent = "No tumors: the plan needs at least one.";
      this.listEl.append(li);
    }
  }

  input(id, type = "number") {
    const el = Object.assign(document.createElement("input"), { id, type });
    if (type === "number") Object.assign(el, { min: "0", step: "0.1", inputMode: "decimal" });
    return el;
  }

  field(text, control, hint) {
    const wrap = document.createElement("div");
    wrap.className = "field";
    const label = Object.assign(document.createElement("label"), { htmlFor: control.id, textContent: text });
    wrap.append(label, control);
    if (hint) {
      const p = Object.assign(document.createElement("p"), { className: "hint", id: `${control.id}-hint`, textContent: hint });
      control.setAttribute("aria-describedby", p.id);
      wrap.append(p);
    }
    return wrap;
  }

  buildForm() {
    this.heading = document.createElement("h3");
    this.problemList = document.createElement("ul");
    this.problemList.className = "problems-here";
    this.segmentMap = new SegmentMap({
      label: "Segments the tumor lies in",
      onChange: (list) => this.edit((t) => {
        t.segments = list;
      }),
    });
    this.sizes = {};
    const grid = document.createElement("div");
    grid.className = "form-grid";
    for (const [key, text, hint] of SIZES) {
      const el = this.input(`tumor-${key.replaceAll("_", "-")}`);
      el.addEventListener("change", () => this.edit((t) => {
        const n = Number(el.value);
        const ok = el.value !== "" && (key === "enhancing_diameter_mm" ? n >= 0 : n > 0);
        if (ok) t[key] = n;
        else delete t[key];
      }));
      this.sizes[key] = el;
      grid.append(this.field(text, el, hint));
    }
    this.label = this.input("tumor-label", "text");
    this.label.maxLength = 200;
    this.label.addEventListener("change", () => this.edit((t) => {
      if (this.label.value.trim()) t.label = this.label.value.trim();
      else delete t.label;
    }));
    grid.append(this.field("Label (free text, no patient identifiers)", this.label, "The planner reads the location from its words."));

    const where = document.createElement("fieldset");
    where.className = "locations";
    where.append(Object.assign(document.createElement("legend"), { textContent: "Location (ranks the collaterals to check)" }));
    this.boxes = new Map();
    for (const location of this.locations) {
      const id = `tumor-location-${location.name}`;
      const box = Object.assign(document.createElement("input"), { type: "checkbox", id });
      box.addEventListener("change", () => this.setLocation(location, box.checked));
      const label = Object.assign(document.createElement("label"), { htmlFor: id, textContent: location.words[0] });
      const span = document.createElement("span");
      span.className = "check";
      span.append(box, label);
      where.append(span);
      this.boxes.set(location.name, box);
    }

    const segments = document.createElement("div");
    segments.className = "field";
    const segLabel = Object.assign(document.createElement("span"), { className: "label", id: "tumor-segments-label", textContent: "Segments (click where it lies)" });
    this.segmentMap.root.removeAttribute("aria-label");
    this.segmentMap.root.setAttribute("aria-labelledby", segLabel.id);
    this.segmentMap.root.id = "tumor-segments";
    segments.append(segLabel, this.segmentMap.root);

    this.remove = Object.assign(document.createElement("button"), { type: "button", className: "secondary danger", id: "delete-tumor", textContent: "Delete this tumor" });
    this.remove.addEventListener("click", () => this.deleteTumor());
    const actions = document.createElement("div");
    actions.className = "actions";
    actions.append(this.remove);
    this.formEl.append(this.heading, this.problemList, segments, grid, where, actions);
  }

  renderForm() {
    const tumor = this.store.selected.type === "tumor" ? this.store.find() : null;
    this.formEl.hidden = !tumor;
    if (!tumor) return;
    this.heading.textContent = `Tumor ${tumor.id}`;
    this.segmentMap.set(tumor.segments || []);
    for (const [key, el] of Object.entries(this.sizes)) el.value = tumor[key] ?? "";
    this.label.value = tumor.label ?? "";
    const text = ` ${(tumor.label || "").toLowerCase().replace(/[^a-z0-9]+/g, " ")} `;
    for (const location of this.locations) {
      this.boxes.get(location.name).checked = location.words.some((w) => text.includes(` ${w.toLowerCase().replace(/[^a-z0-9]+/g, " ")} `));
    }
    this.renderProblems();
  }

  renderProblems() {
    const tumor = this.store.selected.type === "tumor" ? this.store.find() : null;
    const found = (tumor && this.problems.get(tumor.id)) || [];
    this.problemList.replaceChildren(...found.map((t) => Object.assign(document.createElement("li"), { textContent: t })));
    this.problemList.hidden = !found.length;
  }

  // Answers arrive while someone may be typing: only the markers change, never a field.
  showProblems(byTumor) {
    this.problems = byTumor;
    this.renderList();
    this.renderProblems();
  }

  update(reason) {
    this.renderList();
    if (reason !== "form") this.renderForm();
  }

  edit(fn) {
    const id = this.store.selected.id;
    this.store.change((doc) => {
      const tumor = (doc.tumors || []).find((t) => t.id === id);
      if (!tumor) return false;
      return fn(tumor);
    }, "form");
  }

  setLocation(location, on) {
    this.edit((tumor) => {
      let label = tumor.label || "";
      if (on) label = label ? `${label}, ${location.words[0]}` : location.words[0];
      else {
        for (const word of location.words) {
          label = label.replace(new RegExp(`(^|[,;]?\\s*)\\b${word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`, "gi"), "");
        }
        label = label.replace(/^[\s,;]+|[\s,;]+$/g, "");
      }
      if (label) tumor.label = label;
      else delete tumor.label;
    });
    this.renderForm();
  }

  addTumor() {
    const taken = new Set((this.store.doc.tumors || []).map((t) => t.id));
    let n = 1;
    while (taken.has(`t${n}`)) n += 1;
    const id = freeId(`t${n}`, taken);
    this.store.change((doc) => {
      doc.tumors = doc.tumors || [];
      doc.tumors.push({ id, segments: [] });
    });
    this.store.select("tumor", id);
    this.say(`Tumor ${id} added; click the segments it lies in.`);
    this.segmentMap.focus("VII");
  }

  deleteTumor() {
    const id = this.store.selected.id;
    this.store.change((doc) => {
      doc.tumors = (doc.tumors || []).filter((t) => t.id !== id);
    });
    this.store.select("vessel", this.store.doc.vessels[0]?.id ?? null);
    this.say(`Tumor ${id} deleted. Undo brings it back.`);
  }
}
