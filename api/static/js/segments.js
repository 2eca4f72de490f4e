// The Couinaud segment map: a frontal diagram as an atlas shows it (the patient's right on
// the viewer's left): VII above VI and VIII above V on the left, IVa above IVb in the
// middle, II above III on the right, the caudate lobe (I) central at the hilum. Each
// segment is a toggle button; arrow keys move between them, Space or Enter toggles.

// [segment, column, row] on a 4 x 2 grid; I sits over the middle.
const LAYOUT = [
  ["VII", 1, 1], ["VIII", 2, 1], ["IVa", 3, 1], ["II", 4, 1],
  ["VI", 1, 2], ["V", 2, 2], ["IVb", 3, 2], ["III", 4, 2],
  ["I", 0, 0],
];
const ORDER = ["I", "II", "III", "IVa", "IVb", "V", "VI", "VII", "VIII"];

// Segments as written in a case ("IV" = both halves, "S4", "4a"…) -> a Set of map names.
export function readSegments(values) {
  const out = new Set();
  for (const raw of [].concat(values ?? [])) {
    let text = String(raw).trim().replace(/^segment\s*/i, "").replace(/^s\s*/i, "");
    const arabic = { 1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI", 7: "VII", 8: "VIII" };
    const m = /^([1-8]|[ivx]+)\s*([ab])?$/i.exec(text);
    if (!m) continue;
    const base = arabic[m[1]] || m[1].toUpperCase();
    const half = m[2] ? m[2].toLowerCase() : "";
    text = base + half;
    if (text === "IV") {
      out.add("IVa");
      out.add("IVb");
    } else if (ORDER.includes(text)) out.add(text);
  }
  return out;
}

// A Set of map names -> the case's list, with IVa + IVb written as IV.
export function writeSegments(set) {
  const out = [];
  for (const name of ORDER) {
    if (!set.has(name)) continue;
    if (name === "IVa" && set.has("IVb")) out.push("IV");
    else if (name === "IVb" && set.has("IVa")) continue;
    else out.push(name);
  }
  return out;
}

export function segmentsText(values) {
  const list = writeSegments(readSegments(values));
  return list.length ? list.join(", ") : "none";
}

export class SegmentMap {
  // label: the group's accessible name; onChange(list) gets the case's list.
  constructor({ label, onChange }) {
    this.onChange = onChange;
    this.root = document.createElement("div");
    this.root.className = "segment-map";
    this.root.setAttribute("role", "group");
    this.root.setAttribute("aria-label", label);
    this.buttons = new Map();
    for (const [name, column, row] of LAYOUT) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = `segment seg-${name}`;
      button.textContent = name;
      button.dataset.segment = name;
      button.setAttribute("aria-pressed", "false");
      button.setAttribute("aria-label", `segment ${name}`);
      if (column) {
        button.style.gridColumn = String(column);
        button.style.gridRow = String(row);
      }
      button.tabIndex = name === "VII" ? 0 : -1;
      button.addEventListener("click", () => this.toggle(name));
      button.addEventListener("keydown", (event) => this.key(event, name));
      this.buttons.set(name, button);
      this.root.append(button);
    }
    this.value = new Set();
  }

  set(values) {
    this.value = readSegments(values);
    for (const [name, button] of this.buttons) {
      button.setAttribute("aria-pressed", this.value.has(name) ? "true" : "false");
    }
  }

  toggle(name) {
    if (this.value.has(name)) this.value.delete(name);
    else this.value.add(name);
    this.set(writeSegments(this.value));
    this.onChange(writeSegments(this.value));
  }

  key(event, name) {
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    let next;
    if (name === "I") next = event.key === "ArrowLeft" ? "VIII" : event.key === "ArrowRight" ? "IVa" : event.key === "ArrowUp" ? "VIII" : "V";
    else {
      const [, column, row] = LAYOUT.find((item) => item[0] === name);
      const target = LAYOUT.find((item) => item[1] === column + move[0] && item[2] === row + move[1]);
      next = target ? target[0] : (move[1] !== 0 ? "I" : name);
    }
    this.focus(next);
  }

  focus(name) {
    for (const [other, button] of this.buttons) button.tabIndex = other === name ? 0 : -1;
    this.buttons.get(name).focus();
  }
}
