// The case being edited, the selection, and undo/redo. Every change goes through
// `change(fn)`, which records the state before it; listeners hear of every change.

const LIMIT = 200; // undo steps kept

export const EMPTY_CASE = Object.freeze({
  format: "hepatic-case/1",
  vessels: [{ id: "ao", kind: "aorta" }],
  tumors: [],
});

export class Store {
  constructor(doc = EMPTY_CASE) {
    this.doc = structuredClone(doc);
    this.selected = { type: "vessel", id: this.doc.vessels[0]?.id ?? null };
    this.past = [];
    this.future = [];
    this.listeners = new Set();
  }

  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(reason) {
    for (const listener of this.listeners) listener(reason, this);
  }

  snapshot() {
    return { doc: structuredClone(this.doc), selected: { ...this.selected } };
  }

  restore(snap) {
    this.doc = snap.doc;
    this.selected = snap.selected;
  }

  // fn(doc) edits a copy; returning false cancels the change.
  change(fn, reason = "edit") {
    const before = this.snapshot();
    const draft = structuredClone(this.doc);
    if (fn(draft) === false) return false;
    this.past.push(before);
    if (this.past.length > LIMIT) this.past.shift();
    this.future = [];
    this.doc = draft;
    if (!this.find(this.selected)) this.selected = { type: "vessel", id: this.doc.vessels[0]?.id ?? null };
    this.emit(reason);
    return true;
  }

  replace(doc, reason = "load") {
    return this.change((draft) => {
      for (const key of Object.keys(draft)) delete draft[key];
      Object.assign(draft, structuredClone(doc));
      if (!Array.isArray(draft.vessels)) draft.vessels = [];
      if (!Array.isArray(draft.tumors)) draft.tumors = [];
    }, reason);
  }

  undo() {
    if (!this.past.length) return false;
    this.future.push(this.snapshot());
    this.restore(this.past.pop());
    this.emit("undo");
    return true;
  }

  redo() {
    if (!this.future.length) return false;
    this.past.push(this.snapshot());
    this.restore(this.future.pop());
    this.emit("redo");
    return true;
  }

  select(type, id) {
    this.selected = { type, id };
    this.emit("select");
  }

  find(selection = this.selected) {
    const list = selection.type === "tumor" ? this.doc.tumors : this.doc.vessels;
    return (list || []).find((item) => item.id === selection.id) || null;
  }

  vessel(id) {
    return this.doc.vessels.find((v) => v.id === id) || null;
  }

  children(id) {
    return this.doc.vessels.filter((v) => v.parent === id);
  }

  roots() {
    const ids = new Set(this.doc.vessels.map((v) => v.id));
    return this.doc.vessels.filter((v) => !v.parent || !ids.has(v.parent));
  }

  descendants(id) {
    const out = new Set();
    const stack = [id];
    while (stack.length) {
      const next = stack.pop();
      for (const child of this.children(next)) {
        if (!out.has(child.id)) {
          out.add(child.id);
          stack.push(child.id);
        }
      }
    }
    return out;
  }
}

// An id not yet used in `taken`, made from `base` (a slug: a-z, 0-9, . _ -).
export function freeId(base, taken) {
  const slug = String(base || "branch")
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[^a-z0-9]+/, "")
    .replace(/-+$/, "")
    .slice(0, 56) || "branch";
  if (!taken.has(slug)) return slug;
  for (let n = 2; ; n += 1) if (!taken.has(`${slug}-${n}`)) return `${slug}-${n}`;
}
