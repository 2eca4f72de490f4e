// The web page's behaviour: send the case to /v1, show the answers. No build step, no
// library, nothing fetched from elsewhere. Text from the server is always inserted as
// text (textContent), never as HTML; the diagram SVG is parsed and stripped of script.

const $ = (id) => document.getElementById(id);
const SEED_URL = "/static/examples/khassaf-2025-net.yaml";

const state = { variants: new Map() };

function mediaType(text) {
  return text.trimStart().startsWith("{") ? "application/json" : "application/yaml";
}

async function post(path, text) {
  return fetch(path, {
    method: "POST",
    headers: { "Content-Type": mediaType(text) },
    body: text,
  });
}

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function list(target, items) {
  target.replaceChildren(...items.map((item) => (item instanceof Node ? wrapLi(item) : el("li", item))));
}

function wrapLi(node) {
  const li = document.createElement("li");
  li.append(node);
  return li;
}

function setStatus(text) {
  $("status").textContent = text;
}

function busy(on) {
  $("classify").disabled = on;
  $("download").disabled = on;
  document.querySelector(".results").setAttribute("aria-busy", on ? "true" : "false");
}

function clearResults() {
  $("problem").hidden = true;
  $("problem").replaceChildren();
  for (const id of ["classification", "plan", "diagram"]) $(id).hidden = true;
}

// -- examples --------------------------------------------------------------------------

async function loadVariants() {
  try {
    const response = await fetch("/v1/variants");
    if (!response.ok) return;
    const body = await response.json();
    showVersions(body);
    const group = document.createElement("optgroup");
    group.label = "Variant examples";
    for (const item of body.variants) {
      state.variants.set(item.id, item);
      const label = item.michels ? `Michels ${item.type}: ${item.name}` : `Outside Michels: ${item.name}`;
      group.append(new Option(label, item.id));
    }
    $("example").append(group);
  } catch {
    // The page still works without the list: paste or open a case.
  }
}

async function pickExample() {
  const value = $("example").value;
  if (!value) return;
  let text;
  if (value === "seed") {
    text = await (await fetch(SEED_URL)).text();
  } else {
    const response = await fetch(`/v1/variants/${encodeURIComponent(value)}`);
    if (!response.ok) return showProblem(await response.json());
    text = JSON.stringify((await response.json()).example, null, 2);
  }
  $("case-text").value = text;
  setStatus("Example loaded. Press Classify and plan.");
}

function openFile() {
  const file = $("file").files[0];
  if (!file) return;
  const reader = new FileReader();
  reader.onload = () => {
    $("case-text").value = String(reader.result);
    setStatus(`Opened ${file.name}. Press Classify and plan.`);
  };
  reader.onerror = () => setStatus("The file could not be read.");
  reader.readAsText(file);
}

// -- results ---------------------------------------------------------------------------

function showVersions(body) {
  if (body.tool_version) $("versions").textContent = `hepatic ${body.tool_version}, data ${body.data_version}`;
}

function details(error) {
  // What the API names besides the message: the segment written, the closest terms or ids.
  let out = "";
  if (error.segment) out += ` Written: ${error.segment}.`;
  if (Array.isArray(error.suggestions) && error.suggestions.length) out += ` Closest: ${error.suggestions.join(", ")}.`;
  return out;
}

function where(pointer, text, error = {}) {
  // "/vessels/3/kind" -> "vessels[3].kind, line 5", with the vessel id (from the API, or
  // from the text when the case is JSON).
  const parts = pointer.split("/").slice(1).map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~"));
  let out = "";
  for (const part of parts) out += /^\d+$/.test(part) ? `[${part}]` : out ? `.${part}` : part;
  const line = error.line ? `, line ${error.line}` : "";
  if (error.vessel) return `${out || "the case"} (vessel ${error.vessel})${line}`;
  out += line;
  if (parts[0] === "vessels" && /^\d+$/.test(parts[1] ?? "")) {
    try {
      const id = JSON.parse(text).vessels[Number(parts[1])].id;
      if (typeof id === "string") out += ` (vessel ${id})`;
    } catch {
      // YAML text: the position is enough.
    }
  }
  return out || "the case";
}

function showProblem(problem, text = "") {
  const box = $("problem");
  box.replaceChildren(el("h3", problem.title || "Error"), el("p", problem.detail || ""));
  if (Array.isArray(problem.errors)) {
    const ul = document.createElement("ul");
    for (const error of problem.errors) {
      const li = document.createElement("li");
      const fix = error.fix.replace(/\.$/, "");
      li.append(el("code", where(error.pointer, text, error)), ` ${error.message}${details(error)} Fix: ${fix}.`);
      ul.append(li);
    }
    box.append(ul);
  }
  box.hidden = false;
  setStatus(`${problem.title || "Error"}.`);
}

function showClassification(body) {
  const c = body.classification;
  $("michels").textContent = c.michels ? `Michels ${c.michels}${c.michels_subtype ? ` (${c.michels_subtype})` : ""}` : "No Michels type";
  $("michels-name").textContent = c.michels_name || "";
  $("hiatt").textContent = c.hiatt ?? "—";
  $("outcome").textContent = c.outcome;
  list($("reasons"), c.reasons);
  list($("findings"), c.findings.map((f) => f.message));
  const extra = $("completeness");
  extra.replaceChildren();
  const warnings = [...(c.warnings || []).map((w) => w.message),
    ...((c.completeness && c.completeness.cannot_exclude) || []).map((x) => `Cannot exclude Michels ${x.type}: ${x.because}`),
    ...((c.completeness && c.completeness.unsupplied_segments) || []).map((s) => `No feeder shown for segment ${s.segment}.`)];
  if (warnings.length) {
    extra.append(el("h4", "What this study cannot tell"));
    const ul = document.createElement("ul");
    list(ul, warnings);
    extra.append(ul);
  }
  $("classification").hidden = false;
}

function showPlan(body) {
  const out = $("plan-body");
  out.replaceChildren();
  const plan = body.plan;
  if (!plan.tumors.length) {
    out.append(el("p", "The case lists no tumors, so there is nothing to plan."));
  }
  for (const tumor of plan.tumors) {
    const size = tumor.diameter_mm ? `, ${tumor.diameter_mm} mm` : "";
    const segments = `segment${tumor.segments.length > 1 ? "s" : ""} ${tumor.segments.join(", ")}`;
    out.append(el("h4", `Tumor ${tumor.label || tumor.id}: ${segments}${size}`));
    const table = document.createElement("table");
    const head = table.createTHead().insertRow();
    for (const title of ["#", "Catheter position", "Level", "Route", "Treats", "Beyond the tip"]) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = title;
      head.append(th);
    }
    const rows = table.createTBody();
    for (const t of tumor.targets) {
      const row = rows.insertRow();
      const beyond = t.downstream.map((b) => (b.organ_at_risk ? `${b.name} (${b.organ_at_risk})` : b.name));
      for (const cell of [t.number, `${t.name} (${t.vessel})`, t.level, t.route_text,
        t.segments.join(", ") + (t.non_tumor_segments.length ? `; non-tumor ${t.non_tumor_segments.join(", ")}` : ""),
        beyond.join("; ") || "none"]) {
        row.insertCell().textContent = String(cell);
      }
    }
    if (!tumor.targets.length) out.append(el("p", "No catheter position reaches this tumor's feeders.", "warning"));
    else out.append(table);
    if (tumor.warnings.length) {
      const ul = document.createElement("ul");
      list(ul, tumor.warnings.map((w) => el("span", w.message, "warning")));
      out.append(ul);
    }
  }
  if (plan.warnings.length) {
    out.append(el("h4", "Warnings"));
    const ul = document.createElement("ul");
    list(ul, plan.warnings.map((w) => el("span", w.message, "warning")));
    out.append(ul);
  }
  $("plan").hidden = false;
}

function showDiagram(svgText) {
  const doc = new DOMParser().parseFromString(svgText, "image/svg+xml");
  const svg = doc.documentElement;
  if (svg.nodeName !== "svg") return;
  for (const bad of svg.querySelectorAll("script, foreignObject")) bad.remove();
  for (const node of svg.querySelectorAll("*")) {
    for (const attr of [...node.attributes]) if (attr.name.toLowerCase().startsWith("on")) node.removeAttribute(attr.name);
  }
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-labelledby", "diagram-heading");
  svg.removeAttribute("width");
  svg.removeAttribute("height");
  $("diagram-image").replaceChildren(document.importNode(svg, true));
  $("diagram").hidden = false;
}

async function classify(event) {
  event?.preventDefault();
  const text = $("case-text").value;
  clearResults();
  if (!text.trim()) {
    setStatus("The case is empty: paste, open or pick a case first.");
    $("case-text").focus();
    return;
  }
  busy(true);
  setStatus("Classifying…");
  try {
    const response = await post("/v1/classify", text);
    const body = await response.json();
    if (!response.ok) {
      showProblem(body, text);
      return;
    }
    showVersions(body);
    showClassification(body);
    const summary = body.classification.michels ? `Michels type ${body.classification.michels}` : "No Michels type";
    setStatus(`${summary}. Planning and drawing…`);
    const [plan, diagram] = await Promise.all([post("/v1/plan", text), post("/v1/render?format=svg", text)]);
    if (plan.ok) showPlan(await plan.json());
    if (diagram.ok) showDiagram(await diagram.text());
    else showProblem(await diagram.json(), text);
    setStatus(`${summary}. Classification${plan.ok ? ", plan" : ""}${diagram.ok ? " and diagram" : ""} shown below.`);
    $("results-heading").focus();
  } catch (error) {
    setStatus(`The server could not be reached (${error.message}).`);
  } finally {
    busy(false);
  }
}

async function download() {
  const text = $("case-text").value;
  if (!text.trim()) {
    setStatus("The case is empty: nothing to report.");
    return;
  }
  busy(true);
  setStatus("Writing the report…");
  try {
    const response = await post("/v1/report?format=html", text);
    if (!response.ok) {
      showProblem(await response.json(), text);
      return;
    }
    const url = URL.createObjectURL(await response.blob());
    const link = Object.assign(document.createElement("a"), { href: url, download: "hepatic-report.html" });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    setStatus("The report was downloaded (hepatic-report.html).");
  } catch (error) {
    setStatus(`The server could not be reached (${error.message}).`);
  } finally {
    busy(false);
  }
}

$("case-form").addEventListener("submit", classify);
$("example").addEventListener("change", pickExample);
$("file").addEventListener("change", openFile);
$("download").addEventListener("click", download);
$("case-text").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) classify(event);
});
loadVariants();
