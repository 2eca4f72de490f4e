// The vessel kinds from GET /v1/vocabulary and a searchable picker for them: type any
// name, abbreviation or synonym; arrow keys move, Enter chooses, Escape closes.

import { getJson } from "./api.js";

const GROUPS = {
  aorta: "Aorta",
  visceral_trunk: "Visceral trunks",
  hepatic_axis: "Hepatic axis",
  hepatic: "Hepatic arteries",
  extrahepatic: "Extrahepatic branches",
  collateral: "Collaterals",
  access: "Access path",
};

export class Vocabulary {
  constructor(body) {
    this.kinds = body.kinds;
    this.locations = body.tumor_locations;
    this.byTerm = new Map();
    for (const kind of this.kinds) {
      for (const term of [kind.name, kind.label, ...kind.abbreviations, ...kind.synonyms]) {
        this.byTerm.set(normalize(term), kind);
      }
    }
  }

  static async load() {
    return new Vocabulary(await getJson("/v1/vocabulary"));
  }

  // The kind a written term names, with "replaced"/"accessory" words taken off.
  find(term) {
    if (!term) return null;
    const key = normalize(term);
    const direct = this.byTerm.get(key);
    if (direct) return direct;
    const words = key.split(" ");
    if (["replaced", "accessory", "aberrant", "variant"].includes(words[0])) {
      return this.byTerm.get(words.slice(1).join(" ")) || null;
    }
    const compact = key.replaceAll(" ", "");
    if (/^[ra]/.test(compact)) return this.byTerm.get(compact.slice(1)) || null;
    return null;
  }

  // The status a written kind states ("replaced RHA", "aLHA"), or null.
  statusOf(term) {
    if (!term) return null;
    const key = normalize(term);
    if (this.byTerm.has(key)) return null;
    const head = key.split(" ")[0];
    if (head === "replaced" || head === "accessory") return this.find(term) ? head : null;
    const compact = key.replaceAll(" ", "");
    const inner = this.byTerm.get(compact.slice(1));
    if (!inner || !inner.status_words) return null;
    return { r: "replaced", a: "accessory" }[compact[0]] || null;
  }

  // How a case writes the kind: its first abbreviation, else its label.
  written(kind) {
    return kind.abbreviations[0] || kind.label;
  }

  search(text) {
    const key = normalize(text);
    if (!key) return this.kinds.filter((k) => k.group !== "access");
    const scored = [];
    for (const kind of this.kinds) {
      const terms = [kind.label, ...kind.abbreviations, ...kind.synonyms, kind.name];
      let best = Infinity;
      for (const term of terms) {
        const t = normalize(term);
        if (t === key) best = Math.min(best, 0);
        else if (t.startsWith(key)) best = Math.min(best, 1);
        else if (t.includes(key)) best = Math.min(best, 2);
      }
      if (best < Infinity) scored.push([best, kind]);
    }
    scored.sort((a, b) => a[0] - b[0]);
    return scored.map(([, kind]) => kind);
  }
}

export function normalize(term) {
  return String(term).toLowerCase().replace(/[-_]/g, " ").replace(/\s+artery$/, "").replace(/\s+/g, " ").trim();
}

let pickers = 0;

// A combobox: <input role=combobox> with a listbox of matching kinds.
export class KindPicker {
  constructor(vocabulary, { id, onChoose }) {
    this.vocabulary = vocabulary;
    this.onChoose = onChoose;
    pickers += 1;
    const listId = `kind-options-${pickers}`;
    this.root = document.createElement("div");
    this.root.className = "picker";
    this.input = Object.assign(document.createElement("input"), {
      id,
      type: "text",
      autocomplete: "off",
      spellcheck: false,
    });
    this.input.setAttribute("role", "combobox");
    this.input.setAttribute("aria-autocomplete", "list");
    this.input.setAttribute("aria-expanded", "false");
    this.input.setAttribute("aria-controls", listId);
    this.list = document.createElement("ul");
    this.list.id = listId;
    this.list.setAttribute("role", "listbox");
    this.list.hidden = true;
    this.root.append(this.input, this.list);
    this.matches = [];
    this.active = -1;
    this.input.addEventListener("input", () => this.open());
    this.input.addEventListener("focus", () => {
      clearTimeout(this.closing);
      this.input.select();
    });
    this.input.addEventListener("keydown", (event) => this.key(event));
    // Closed a moment after focus leaves (a click on an option lands first); focus coming
    // back, or a new search, cancels a pending close.
    this.closing = null;
    this.input.addEventListener("blur", () => {
      this.closing = setTimeout(() => this.close(), 150);
    });
    // Typed and left without choosing from the list: a term of the vocabulary counts,
    // an empty field means an unnamed branch.
    this.shown = null;
    this.input.addEventListener("change", () => {
      const text = this.input.value.trim();
      if (!text) {
        if (this.shown !== null) this.onChoose(null);
        return;
      }
      const kind = this.vocabulary.find(text);
      if (kind && kind.name !== this.shown) {
        this.shown = kind.name;
        this.onChoose(kind);
      }
    });
  }

  // What the field shows for the vessel: its kind (or the text written, if unknown).
  show(kind, text) {
    this.shown = kind ? kind.name : null;
    this.input.value = kind ? kind.label : text || "";
  }

  open() {
    clearTimeout(this.closing);
    this.matches = this.vocabulary.search(this.input.value);
    this.active = this.matches.length ? 0 : -1;
    this.render();
  }

  close() {
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
  }

  render() {
    this.list.replaceChildren();
    let group = null;
    this.matches.forEach((kind, index) => {
      const li = document.createElement("li");
      li.id = `${this.list.id}-${index}`;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", index === this.active ? "true" : "false");
      const abbr = kind.abbreviations.length ? ` (${kind.abbreviations.join(", ")})` : "";
      const head = document.createElement("span");
      head.textContent = kind.label + abbr;
      li.append(head);
      if (kind.group !== group) {
        group = kind.group;
        const tag = document.createElement("span");
        tag.className = "group";
        tag.textContent = GROUPS[kind.group] || kind.group;
        li.append(tag);
      }
      li.addEventListener("mousedown", (event) => {
        event.preventDefault();
        this.choose(index);
      });
      this.list.append(li);
    });
    if (!this.matches.length) {
      const li = document.createElement("li");
      li.className = "none";
      li.textContent = "No kind matches; leave it empty for an unnamed branch.";
      this.list.append(li);
    }
    this.list.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
    if (this.active >= 0) {
      this.input.setAttribute("aria-activedescendant", `${this.list.id}-${this.active}`);
      this.list.children[this.active]?.scrollIntoView({ block: "nearest" });
    }
  }

  key(event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (this.list.hidden) return this.open();
      const step = event.key === "ArrowDown" ? 1 : -1;
      this.active = Math.max(0, Math.min(this.matches.length - 1, this.active + step));
      this.render();
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (!this.list.hidden && this.active >= 0) this.choose(this.active);
      else if (!this.input.value.trim()) {
        this.shown = null;
        this.onChoose(null);
      }
    } else if (event.key === "Escape") {
      if (!this.list.hidden) {
        event.preventDefault();
        event.stopPropagation();
        this.close();
      }
    }
  }

  choose(index) {
    const kind = this.matches[index];
    this.close();
    this.show(kind);
    this.onChoose(kind);
  }
}
