// The answers, shown as the case changes: the classification, the plan summary (as the
// CLI gives it: recommended positions, alternatives, what to look for), the diagram
// (zoom, full screen; clicking a vessel selects it in the editor) and the problems,
// each placed next to the vessel or tumor it concerns. Server text is always inserted
// as text; the diagram SVG is parsed and stripped of anything active.

import { pointerParts } from "./api.js";

const $ = (id) => document.getElementById(id);

export function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function list(items, className) {
  const ul = el("ul", null, className);
  for (const item of items) {
    const li = el("li");
    if (item instanceof Node) li.append(item);
    else li.textContent = String(item);
    ul.append(li);
  }
  return ul;
}

const LEVEL = { whole_liver: "whole liver" };
const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

function costText(cost) {
  return `${plural(cost.positions, "position")}; ${plural(cost.non_target_branches, "non-target vessel")} at or beyond the tips; ${plural(cost.non_tumor_segments, "non-tumor segment")} treated`;
}

// What the API names besides the message: the segment written, the closest terms or ids.
function details(error) {
  let out = "";
  if (error.segment) out += ` Written: ${error.segment}.`;
  if (Array.isArray(error.suggestions) && error.suggestions.length) out += ` Closest: ${error.suggestions.join(", ")}.`;
  return out;
}

export class Results {
  constructor({ onSelectVessel }) {
    this.onSelectVessel = onSelectVessel;
    this.zoom = 1;
    $("zoom-in").addEventListener("click", () => this.setZoom(this.zoom * 1.25));
    $("zoom-out").addEventListener("click", () => this.setZoom(this.zoom / 1.25));
    $("zoom-fit").addEventListener("click", () => this.setZoom(1));
    $("full-screen").addEventListener("click", () => this.fullScreen());
    document.addEventListener("fullscreenchange", () => {
      $("full-screen").textContent = document.fullscreenElement ? "Leave full screen" : "Full screen";
    });
  }

  setZoom(value) {
    this.zoom = Math.min(6, Math.max(0.5, value));
    const svg = $("diagram-image").querySelector("svg");
    // At 100 % the whole diagram fits the box; zooming in lets it grow and scroll.
    if (svg) svg.classList.toggle("zoomed", this.zoom !== 1);
    if (svg) svg.style.width = this.zoom === 1 ? "" : `${Math.round(this.zoom * 100)}%`;
    $("zoom-level").textContent = `${Math.round(this.zoom * 100)} %`;
  }

  async fullScreen() {
    const figure = $("diagram-figure");
    if (document.fullscreenElement) await document.exitFullscreen();
    else if (figure.requestFullscreen) await figure.requestFullscreen().catch(() => {});
  }

  clear() {
    $("problem").hidden = true;
    $("problem").replaceChildren();
  }

  // -- problems ------------------------------------------------------------------------

  // A 422 problem: the list at the top, and per vessel / tumor id for the editors.
  problems(problem, doc) {
    const byVessel = new Map();
    const byTumor = new Map();
    const box = $("problem");
    box.replaceChildren(el("h3", problem.title || "Error"), el("p", problem.detail || ""));
    if (Array.isArray(problem.errors)) {
      const items = [];
      for (const error of problem.errors) {
        const parts = pointerParts(error.pointer || "");
        const base = parts[0] === "case" ? parts.slice(1) : parts;
        const fix = String(error.fix || "").replace(/\.$/, "");
        const text = `${error.message}${details(error)} Fix: ${fix}.`;
        let where = base.join(".") || "the case";
        const vessel = error.vessel ?? doc.vessels?.[base[1]]?.id;
        if (base[0] === "vessels" && Number.isInteger(base[1]) && vessel !== undefined) {
          const id = vessel;
          where = `vessel ${id}${base[2] ? ` (${base[2]})` : ""}`;
          byVessel.set(id, [...(byVessel.get(id) || []), text]);
        } else if (base[0] === "tumors" && Number.isInteger(base[1]) && doc.tumors?.[base[1]]) {
          const id = doc.tumors[base[1]].id;
          where = `tumor ${id}${base[2] ? ` (${base[2]})` : ""}`;
          byTumor.set(id, [...(byTumor.get(id) || []), text]);
        }
        // The page sends the editor's case as JSON, so the API's line and column point into
        // that body, not the YAML view: the vessel or tumor id says where instead.
        const item = el("span");
        item.append(el("strong", where), ` ${text}`);
        items.push(item);
      }
      box.append(list(items));
    }
    box.hidden = false;
    return { byVessel, byTumor };
  }

  // -- classification ------------------------------------------------------------------

  classification(body) {
    const c = body.classification;
    $("michels").textContent = c.michels ? `Michels ${c.michels_subtype || c.michels}` : "No Michels type";
    $("michels-name").textContent = c.michels_name || (c.outcome === "unclassified" ? "unclassified: see the nearest types below" : "");
    $("hiatt").textContent = c.hiatt ?? "—";
    $("outcome").textContent = c.outcome;
    $("reasons").replaceChildren(...list(c.reasons).children);
    $("findings").replaceChildren(...list(c.findings.map((f) => f.message)).children);
    const extra = $("completeness");
    extra.replaceChildren();
    const open = [
      ...(c.warnings || []).map((w) => w.message),
      ...((c.completeness && c.completeness.cannot_exclude) || []).map((x) => `Cannot exclude Michels ${x.type}: ${x.because}`),
      ...((c.completeness && c.completeness.unsupplied_segments) || []).map((s) => `No feeder shown for segment ${s.segment}.`),
    ];
    if (open.length) extra.append(el("h4", "What this study cannot tell"), list(open, "warning"));
    $("classification").hidden = false;
    const summary = c.michels ? `Michels ${c.michels_subtype || c.michels}` : "No Michels type";
    return summary;
  }

  // -- plan ----------------------------------------------------------------------------

  plan(body) {
    const plan = body.plan;
    const out = $("plan-body");
    out.replaceChildren();
    if (plan.access?.label) out.append(el("p", `Access: ${plan.access.label}.`, "access"));
    if (!plan.tumors.length) {
      out.append(el("p", "The case lists no tumors, so there is nothing to plan. Add a tumor in the editor."));
      $("plan").hidden = false;
      return;
    }
    if (plan.positions.length) {
      out.append(el("h4", "Recommended positions"), el("p", `${costText(plan.cost)}.`));
      const ol = el("ol", null, "positions");
      for (const t of plan.positions) {
        const li = el("li");
        li.value = t.number;
        const level = LEVEL[t.level] || t.level;
        li.append(el("strong", `${t.name} (${t.vessel})`), `, ${level}, for ${t.tumors.join(", ")}; treats ${t.segments.join(", ")}`);
        if (t.non_tumor_segments.length) li.append(` (non-tumor liver: ${t.non_tumor_segments.join(", ")})`);
        li.append(el("br"), el("span", `Route: ${t.route_text}`, "route"));
        const beyond = t.downstream.map((b) => (b.organ_at_risk ? `${b.name} (${b.organ_at_risk})` : b.name));
        li.append(el("br"), el("span", beyond.length ? `Beyond the tip: ${beyond.join("; ")}` : "No extrahepatic branch recorded beyond the tip.", beyond.length ? "warning" : "muted"));
        ol.append(li);
      }
      out.append(ol);
    }
    for (const tumor of plan.tumors) {
      const size = tumor.diameter_mm ? `, ${tumor.diameter_mm} mm` : "";
      const name = tumor.label ? `${tumor.label} (${tumor.id})` : `Tumor ${tumor.id}`;
      out.append(el("h4", `${name}: segment${tumor.segments.length > 1 ? "s" : ""} ${tumor.segments.join(", ")}${size}`));
      const lines = [];
      const fed = tumor.feeders.map((f) => `${f.vessel} (${f.segments.join(", ")})${f.reachable ? "" : ", not reachable"}`);
      lines.push(fed.length ? `Fed by: ${fed.join("; ")}.` : "No feeder identified.");
      lines.push(tumor.targets.length ? `Target: position ${tumor.targets.map((t) => t.number).join(", ")}.` : "No catheter position reaches this tumor.");
      if (tumor.unsupplied_segments.length) lines.push(`No identified feeder for segment ${tumor.unsupplied_segments.join(", ")}.`);
      out.append(list(lines));
      if (tumor.warnings.length) out.append(this.lookFor(tumor.warnings));
    }
    const alternatives = plan.alternatives.map((alt) => {
      const name = alt.name.replaceAll("_", " ");
      if (alt.same_as) return `${name}: the same positions as the ${alt.same_as.replaceAll("_", " ")} plan.`;
      const tips = alt.positions.map((p) => `${p.name} (${p.vessel}): ${p.route_text}`).join("; ");
      return `${name} (${alt.description}): ${costText(alt.cost)}. ${tips}`;
    });
    if (alternatives.length) out.append(el("h4", "Alternatives"), list(alternatives));
    if (plan.warnings.length) {
      out.append(el("h4", "What to look for in the study"));
      out.append(this.lookFor(plan.warnings));
    }
    $("plan").hidden = false;
  }

  lookFor(warnings) {
    const items = warnings.map((w) => {
      const node = el("div");
      node.append(el("span", w.message, "warning"));
      if (w.advice) node.append(el("div", w.advice, "advice"));
      return node;
    });
    return list(items);
  }

  // -- diagram -------------------------------------------------------------------------

  diagram(svgText, ids) {
    const doc = new DOMParser().parseFromString(svgText, "image/svg+xml");
    const svg = doc.documentElement;
    if (svg.nodeName !== "svg") return;
    for (const bad of svg.querySelectorAll("script, foreignObject")) bad.remove();
    for (const node of svg.querySelectorAll("*")) {
      for (const attr of [...node.attributes]) {
        if (attr.name.toLowerCase().startsWith("on")) node.removeAttribute(attr.name);
        if (/href$/i.test(attr.name) && !String(attr.value).startsWith("#")) node.removeAttribute(attr.name);
      }
    }
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-labelledby", "diagram-heading");
    svg.removeAttribute("width");
    svg.removeAttribute("height");
    const imported = document.importNode(svg, true);
    // Vessels are the nodes whose <title> is a vessel id: clicking one selects it.
    for (const node of imported.querySelectorAll("g.node")) {
      const id = node.querySelector("title")?.textContent?.trim();
      if (!id || !ids.has(id)) continue;
      node.classList.add("vessel");
      node.addEventListener("click", () => this.onSelectVessel(id));
    }
    $("diagram-image").replaceChildren(imported);
    this.setZoom(this.zoom);
    $("diagram").hidden = false;
  }

  highlight(id) {
    for (const node of document.querySelectorAll("#diagram-image g.node.selected")) node.classList.remove("selected");
    for (const node of document.querySelectorAll("#diagram-image g.node.vessel")) {
      if (node.querySelector("title")?.textContent?.trim() === id) node.classList.add("selected");
    }
  }

  versions(body) {
    if (body?.tool_version) $("versions").textContent = `hepatic ${body.tool_version}, data ${body.data_version}`;
  }
}
