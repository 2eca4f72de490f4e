// The advanced view: the case as YAML text, kept in step with the editor both ways.
// Editing the text (JSON is YAML too) replaces the case once it reads as a case; until
// then the editor keeps the last good case and the view says where the text breaks.

import { dump, load } from "./vendor-yaml.js";

const $ = (id) => document.getElementById(id);
const ORDER = ["format", "id", "title", "modality", "source", "notes", "vessels", "tumors"];
const VESSEL = ["id", "kind", "parent", "status", "supplies", "diameter_mm", "length_mm", "label"];
const TUMOR = ["id", "segments", "diameter_mm", "short_axis_mm", "enhancing_diameter_mm", "feeders", "label"];

function ordered(item, keys) {
  const out = {};
  for (const key of keys) if (item[key] !== undefined) out[key] = item[key];
  for (const key of Object.keys(item)) if (!(key in out)) out[key] = item[key];
  return out;
}

// The case as YAML, each vessel and tumor on one line as the case files write them.
export function caseYaml(doc) {
  const top = ordered(doc, ORDER);
  if (Array.isArray(top.vessels)) top.vessels = top.vessels.map((v) => ordered(v, VESSEL));
  if (Array.isArray(top.tumors)) {
    if (!top.tumors.length) delete top.tumors;
    else top.tumors = top.tumors.map((t) => ordered(t, TUMOR));
  }
  return dump(top, { flowLevel: 2, lineWidth: 100 });
}

export class YamlView {
  constructor(store) {
    this.store = store;
    this.text = $("case-text");
    this.note = $("yaml-note");
    this.timer = null;
    this.text.addEventListener("input", () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.read(), 400);
    });
    this.text.addEventListener("blur", () => this.read());
    store.subscribe((reason) => {
      if (reason !== "yaml") this.write();
    });
    this.write();
  }

  write() {
    if (document.activeElement === this.text) return; // never under the cursor
    this.text.value = caseYaml(this.store.doc);
    this.note.textContent = "";
    this.last = this.text.value;
  }

  read() {
    clearTimeout(this.timer);
    if (this.text.value === this.last) return;
    let doc;
    try {
      doc = load(this.text.value);
    } catch (error) {
      const where = error.mark ? ` (line ${error.mark.line + 1}, column ${error.mark.column + 1})` : "";
      this.note.textContent = `Not readable as YAML${where}; the editor keeps the last readable case.`;
      return;
    }
    if (!doc || typeof doc !== "object" || Array.isArray(doc) || !Array.isArray(doc.vessels)) {
      this.note.textContent = "A case needs a `vessels:` list; the editor keeps the last readable case.";
      return;
    }
    this.last = this.text.value;
    this.note.textContent = "Read into the editor.";
    this.store.replace(doc, "yaml");
  }
}
