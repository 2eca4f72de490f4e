// The tree editor: the vessels as an ARIA tree (arrow keys move, Right/Left open and go
// to the parent, Home/End) and the form of the selected vessel: its kind from the
// vocabulary, status, the segments it supplies, diameter, label, id and parent; add a
// branch under it, move it, delete it.

import { freeId } from "./state.js";
import { KindPicker } from "./vocabulary.js";
import { SegmentMap, segmentsText } from "./segments.js";

const STATUS_TEXT = { replaced: "replaced", accessory: "accessory" };

export class TreeEditor {
  constructor(store, vocabulary, { tree, form, status }) {
    this.store = store;
    this.vocabulary = vocabulary;
    this.treeEl = tree;
    this.formEl = form;
    this.say = status;
    this.problems = new Map();
    this.collapsed = new Set();
    this.treeEl.addEventListener("keydown", (event) => this.key(event));
    this.buildForm();
    store.subscribe((reason) => this.update(reason));
    this.update("load");
  }

  // -- the tree ----------------------------------------------------------------------

  name(vessel) {
    const kind = this.vocabulary.find(vessel.kind);
    if (kind) return kind.abbreviations[0] ? `${kind.abbreviations[0]} — ${kind.label}` : kind.label;
    return vessel.kind ? `${vessel.kind} (not in the vocabulary)` : "unnamed branch";
  }

  renderTree() {
    const hadFocus = this.treeEl.contains(document.activeElement);
    const selected = this.store.selected.type === "vessel" ? this.store.selected.id : null;
    const seen = new Set();
    const build = (vessel, level) => {
      seen.add(vessel.id);
      const li = document.createElement("li");
      li.setAttribute("role", "treeitem");
      li.setAttribute("aria-level", String(level));
      li.dataset.id = vessel.id;
      li.tabIndex = vessel.id === selected ? 0 : -1;
      li.setAttribute("aria-selected", vessel.id === selected ? "true" : "false");
      const row = document.createElement("span");
      row.className = "node";
      const title = document.createElement("span");
      title.className = "kind";
      title.textContent = this.name(vessel);
      const meta = document.createElement("span");
      meta.className = "meta";
      const bits = [vessel.id];
      if (vessel.status) bits.push(STATUS_TEXT[vessel.status] || vessel.status);
      if (vessel.supplies && [].concat(vessel.supplies).length) bits.push(`supplies ${segmentsText(vessel.supplies)}`);
      if (vessel.diameter_mm) bits.push(`${vessel.diameter_mm} mm`);
      meta.textContent = bits.join(" · ");
      const text = document.createElement("span");
      text.className = "text";
      text.append(title, meta);
      row.append(text);
      const found = this.problems.get(vessel.id);
      if (found) {
        const warn = document.createElement("span");
        warn.className = "flag";
        warn.textContent = `⚠ ${found.length} problem${found.length > 1 ? "s" : ""}`;
        text.append(warn);
        li.classList.add("has-problem");
      }
      row.addEventListener("click", (event) => {
        event.stopPropagation();
        this.store.select("vessel", vessel.id);
        this.focusItem(vessel.id);
      });
      li.append(row);
      const kids = this.store.children(vessel.id).filter((k) => !seen.has(k.id));
      if (!kids.length) {
        const spacer = document.createElement("span");
        spacer.className = "twisty";
        spacer.setAttribute("aria-hidden", "true");
        row.prepend(spacer);
      }
      if (kids.length) {
        const open = !this.collapsed.has(vessel.id);
        li.setAttribute("aria-expanded", open ? "true" : "false");
        const toggle = document.createElement("span");
        toggle.className = "twisty";
        toggle.setAttribute("aria-hidden", "true");
        toggle.textContent = open ? "▾" : "▸";
        toggle.addEventListener("click", (event) => {
          event.stopPropagation();
          this.setOpen(vessel.id, !open);
        });
        row.prepend(toggle);
        if (open) {
          const group = document.createElement("ul");
          group.setAttribute("role", "group");
          for (const kid of kids) group.append(build(kid, level + 1));
          li.append(group);
        }
      }
      return li;
    };
    const items = this.store.roots().map((root) => build(root, 1));
    this.treeEl.replaceChildren(...items);
    if (!this.treeEl.querySelector('[tabindex="0"]')) {
      const first = this.treeEl.querySelector('[role="treeitem"]');
      if (first) first.tabIndex = 0;
    }
    if (hadFocus && selected) this.focusItem(selected);
  }

  setOpen(id, open) {
    if (open) this.collapsed.delete(id);
    else this.collapsed.add(id);
    this.renderTree();
    this.focusItem(id);
  }

  focusItem(id) {
    const item = this.treeEl.querySelector(`[role="treeitem"][data-id="${CSS.escape(id)}"]`);
    if (!item) return;
    for (const other of this.treeEl.querySelectorAll('[role="treeitem"]')) other.tabIndex = -1;
    item.tabIndex = 0;
    item.focus();
  }

  key(event) {
    const item = event.target.closest?.('[role="treeitem"]');
    if (!item) return;
    const visible = [...this.treeEl.querySelectorAll('[role="treeitem"]')];
    const at = visible.indexOf(item);
    const id = item.dataset.id;
    let next = null;
    switch (event.key) {
      case "ArrowDown": next = visible[at + 1]; break;
      case "ArrowUp": next = visible[at - 1]; break;
      case "Home": next = visible[0]; break;
      case "End": next = visible[visible.length - 1]; break;
      case "ArrowRight":
        if (item.getAttribute("aria-expanded") === "false") return this.setOpen(id, true), event.preventDefault();
        next = item.querySelector('[role="treeitem"]');
        break;
      case "ArrowLeft":
        if (item.getAttribute("aria-expanded") === "true") return this.setOpen(id, false), event.preventDefault();
        next = item.parentElement.closest('[role="treeitem"]');
        break;
      case "Enter":
      case " ":
        event.preventDefault();
        this.kindPicker.input.focus();
        return;
      default:
        return;
    }
    event.preventDefault();
    if (next) {
      this.store.select("vessel", next.dataset.id);
      this.focusItem(next.dataset.id);
    }
  }

  // -- the form of the selected vessel -----------------------------------------------

  field(labelText, control, hint) {
    const wrap = document.createElement("div");
    wrap.className = "field";
    const label = document.createElement("label");
    label.htmlFor = control.id;
    label.textContent = labelText;
    wrap.append(label, control.closest?.(".picker") || control);
    if (hint) {
      const p = document.createElement("p");
      p.className = "hint";
      p.id = `${control.id}-hint`;
      p.textContent = hint;
      control.setAttribute("aria-describedby", p.id);
      wrap.append(p);
    }
    return wrap;
  }

  buildForm() {
    const f = this.formEl;
    this.heading = document.createElement("h3");
    this.heading.id = "vessel-heading";
    this.problemList = document.createElement("ul");
    this.problemList.className = "problems-here";
    this.kindPicker = new KindPicker(this.vocabulary, {
      id: "vessel-kind",
      onChoose: (kind) => this.setKind(kind),
    });
    this.status = document.createElement("select");
    this.status.id = "vessel-status";
    for (const [value, text] of [["", "as the classifier reads it"], ["replaced", "replaced"], ["accessory", "accessory"]]) {
      this.status.append(new Option(text, value));
    }
    this.status.addEventListener("change", () =>
      this.edit((v) => {
        // The status lives in one place: a status word in the kind moves to `status`.
        const kind = this.vocabulary.find(v.kind);
        if (kind && this.vocabulary.statusOf(v.kind)) v.kind = this.vocabulary.written(kind);
        if (this.status.value) v.status = this.status.value;
        else delete v.status;
      }),
    );
    this.segmentMap = new SegmentMap({
      label: "Segments this vessel supplies",
      onChange: (list) =>
        this.edit((v) => {
          if (list.length) v.supplies = list;
          else delete v.supplies;
        }),
    });
    this.segmentMap.root.id = "vessel-supplies";
    this.diameter = Object.assign(document.createElement("input"), { id: "vessel-diameter", type: "number", min: "0", step: "0.1", inputMode: "decimal" });
    this.diameter.addEventListener("change", () =>
      this.edit((v) => {
        const n = Number(this.diameter.value);
        if (this.diameter.value && n > 0) v.diameter_mm = n;
        else delete v.diameter_mm;
      }),
    );
    this.label = Object.assign(document.createElement("input"), { id: "vessel-label", type: "text", maxLength: 200 });
    this.label.addEventListener("change", () =>
      this.edit((v) => {
        if (this.label.value.trim()) v.label = this.label.value.trim();
        else delete v.label;
      }),
    );
    this.idInput = Object.assign(document.createElement("input"), { id: "vessel-id", type: "text", maxLength: 64, spellcheck: false });
    this.idInput.addEventListener("change", () => this.rename(this.idInput.value));
    this.parent = document.createElement("select");
    this.parent.id = "vessel-parent";
    this.parent.addEventListener("change", () => this.move(this.parent.value));

    const suppliesField = document.createElement("div");
    suppliesField.className = "field";
    const suppliesLabel = document.createElement("span");
    suppliesLabel.className = "label";
    suppliesLabel.id = "vessel-supplies-label";
    suppliesLabel.textContent = "Supplies (click the segments)";
    this.segmentMap.root.setAttribute("aria-labelledby", suppliesLabel.id);
    this.segmentMap.root.removeAttribute("aria-label");
    const suppliesHint = document.createElement("p");
    suppliesHint.className = "hint";
    suppliesHint.textContent = "Segments fed through branches not drawn as vessels of their own. Leave empty for a named hepatic artery to take its usual territory.";
    suppliesField.append(suppliesLabel, this.segmentMap.root, suppliesHint);

    this.add = Object.assign(document.createElement("button"), { type: "button", id: "add-branch", textContent: "Add a branch here" });
    this.add.addEventListener("click", () => this.addBranch());
    this.remove = Object.assign(document.createElement("button"), { type: "button", id: "delete-vessel", className: "secondary danger", textContent: "Delete" });
    this.remove.addEventListener("click", () => this.deleteVessel());
    const actions = document.createElement("div");
    actions.className = "actions";
    actions.append(this.add, this.remove);

    const grid = document.createElement("div");
    grid.className = "form-grid";
    this.statusField = this.field("Status", this.status, "Replaced or accessory is inferred; set it only to state what you believe (a disagreement is reported).");
    grid.append(
      this.field("Kind", this.kindPicker.input, "Type a name, abbreviation or synonym (RHA, right hepatic, rRHA). Empty = unnamed branch."),
      this.statusField,
      this.field("Diameter (mm)", this.diameter),
      this.field("Label (free text, no patient identifiers)", this.label),
      this.field("Arises from (move)", this.parent),
      this.field("Id", this.idInput, "A short slug other entries refer to."),
    );
    f.append(this.heading, this.problemList, actions, grid, suppliesField);
  }

  renderForm() {
    const vessel = this.store.selected.type === "vessel" ? this.store.find() : null;
    this.formEl.hidden = !vessel;
    if (!vessel) return;
    this.heading.textContent = `Vessel ${vessel.id}: ${this.name(vessel)}`;
    const kind = this.vocabulary.find(vessel.kind);
    this.kindPicker.show(kind, vessel.kind);
    // A status written into the kind ("replaced RHA") shows here as well.
    this.status.value = vessel.status || this.vocabulary.statusOf(vessel.kind) || "";
    this.statusField.hidden = Boolean(kind && !kind.status_words && !vessel.status);
    this.remove.title = vessel.parent ? "" : "The root cannot be deleted; start from another case instead.";
    this.segmentMap.set(vessel.supplies || []);
    this.diameter.value = vessel.diameter_mm ?? "";
    this.label.value = vessel.label ?? "";
    this.idInput.value = vessel.id;
    this.parent.replaceChildren();
    const below = this.store.descendants(vessel.id);
    if (!vessel.parent) this.parent.append(new Option("— none: this is the root —", ""));
    for (const other of this.store.doc.vessels) {
      if (other.id === vessel.id || below.has(other.id)) continue;
      this.parent.append(new Option(`${other.id} (${this.name(other)})`, other.id));
    }
    this.parent.value = vessel.parent || "";
    this.parent.disabled = !vessel.parent;
    this.remove.disabled = !vessel.parent; // the root stays: a case needs one vessel
    this.remove.textContent = below.size ? `Delete with its ${below.size} branch${below.size > 1 ? "es" : ""}` : "Delete";
    this.renderProblems();
  }

  renderProblems() {
    const vessel = this.store.selected.type === "vessel" ? this.store.find() : null;
    const found = (vessel && this.problems.get(vessel.id)) || [];
    this.problemList.replaceChildren(...found.map((text) => Object.assign(document.createElement("li"), { textContent: text })));
    this.problemList.hidden = !found.length;
  }

  // Answers arrive while someone may be typing: only the markers change, never a field.
  showProblems(byVessel) {
    this.problems = byVessel;
    this.renderTree();
    this.renderProblems();
  }

  update(reason) {
    this.renderTree();
    if (reason !== "form") this.renderForm();
    else {
      const vessel = this.store.find();
      if (vessel) this.heading.textContent = `Vessel ${vessel.id}: ${this.name(vessel)}`;
    }
  }

  // -- edits --------------------------------------------------------------------------

  edit(fn) {
    const id = this.store.selected.id;
    this.store.change((doc) => {
      const vessel = doc.vessels.find((v) => v.id === id);
      if (!vessel) return false;
      return fn(vessel, doc);
    }, "form");
  }

  setKind(kind) {
    const id = this.store.selected.id;
    let renamed = null;
    this.store.change((doc) => {
      const vessel = doc.vessels.find((v) => v.id === id);
      if (!vessel) return false;
      // A status written into the old kind ("replaced RHA") is kept as `status`.
      const stated = this.vocabulary.statusOf(vessel.kind);
      if (stated && !vessel.status && kind?.status_words) vessel.status = stated;
      if (kind) vessel.kind = this.vocabulary.written(kind);
      else delete vessel.kind;
      if (vessel.status && !(kind?.status_words ?? true)) delete vessel.status;
      // A new branch's made-up id follows its kind (rha, sma-2 …).
      if (kind && /^branch(-\d+)?$/.test(vessel.id)) {
        const taken = new Set(doc.vessels.map((v) => v.id));
        taken.delete(vessel.id);
        renamed = freeId(this.vocabulary.written(kind), taken);
        renameIn(doc, vessel.id, renamed);
      }
    }, "form");
    if (renamed) this.store.selected = { type: "vessel", id: renamed };
    this.renderTree();
    this.renderForm();
    this.say(kind ? `Kind set: ${kind.label}.` : "Kind cleared: an unnamed branch.");
  }

  addBranch() {
    const parent = this.store.selected.type === "vessel" ? this.store.selected.id : this.store.doc.vessels[0]?.id;
    if (!parent) return;
    const id = freeId("branch", new Set(this.store.doc.vessels.map((v) => v.id)));
    this.collapsed.delete(parent);
    this.store.change((doc) => {
      doc.vessels.push({ id, parent });
    });
    this.store.select("vessel", id);
    this.say(`Branch added under ${parent}; choose its kind.`);
    this.kindPicker.input.focus();
    this.kindPicker.open();
  }

  deleteVessel() {
    const id = this.store.selected.id;
    const vessel = this.store.vessel(id);
    if (!vessel) return;
    const gone = new Set([id, ...this.store.descendants(id)]);
    const parent = vessel.parent;
    this.store.change((doc) => {
      doc.vessels = doc.vessels.filter((v) => !gone.has(v.id));
      for (const tumor of doc.tumors || []) {
        if (tumor.feeders) tumor.feeders = tumor.feeders.filter((f) => !gone.has(f));
      }
    });
    if (parent) this.store.select("vessel", parent);
    this.say(`Deleted ${gone.size} vessel${gone.size > 1 ? "s" : ""}. Undo brings ${gone.size > 1 ? "them" : "it"} back.`);
    if (parent) this.focusItem(parent);
  }

  move(parentId) {
    const id = this.store.selected.id;
    if (!parentId) return;
    this.edit((v) => {
      v.parent = parentId;
    });
    this.collapsed.delete(parentId);
    this.renderTree();
    this.say(`${id} now arises from ${parentId}.`);
  }

  rename(wanted) {
    const id = this.store.selected.id;
    const taken = new Set(this.store.doc.vessels.map((v) => v.id));
    taken.delete(id);
    const next = freeId(wanted, taken);
    if (next === id) return this.renderForm();
    this.store.change((doc) => renameIn(doc, id, next), "form");
    this.store.select("vessel", next);
    this.say(`Renamed ${id} to ${next}${next !== wanted.trim() ? " (ids are lower-case slugs and unique)" : ""}.`);
  }
}

function renameIn(doc, from, to) {
  for (const v of doc.vessels) {
    if (v.id === from) v.id = to;
    if (v.parent === from) v.parent = to;
  }
  for (const tumor of doc.tumors || []) {
    if (tumor.feeders) tumor.feeders = tumor.feeders.map((f) => (f === from ? to : f));
  }
}
