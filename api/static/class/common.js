// What the class pages share: asking this server for JSON, building elements from text
// (never from HTML: case files may come from anyone), and the "Large text" switch.

const LARGE = "hepatic-class-large-text";

/** GET or POST JSON from this server; an RFC 9457 problem becomes an Error with its detail. */
export async function getJSON(url, options = {}) {
  const response = await fetch(url, { headers: { Accept: "application/json" }, ...options });
  const type = response.headers.get("content-type") || "";
  const body = type.includes("json") ? await response.json() : null;
  if (!response.ok) {
    const detail = body && body.detail ? body.detail : `${response.status} ${response.statusText}`;
    throw new Error(detail);
  }
  return body;
}

/** An element with attributes (properties for `on…`, `hidden`, `checked`) and children. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") || name === "hidden" || name === "checked") node[name] = value;
    else if (name === "class") node.className = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** A figure drawn by the server: the image, a caption, and a link to see it full size. */
export function figure(url, alt, caption) {
  return el(
    "figure",
    { class: "figure" },
    el("a", { href: url, target: "_blank", rel: "noopener", title: "Open the figure full size" },
      el("img", { src: url, alt, loading: "lazy" })),
    caption ? el("figcaption", {}, caption) : null,
  );
}

/** The bar's "Large text" button: remembered on this device. */
export function setUpTextSize() {
  const button = document.querySelector(".text-size");
  const root = document.documentElement;
  const apply = (large) => {
    root.classList.toggle("large", large);
    if (button) button.setAttribute("aria-pressed", String(large));
  };
  let large = false;
  try { large = localStorage.getItem(LARGE) === "1"; } catch { /* private mode: not kept */ }
  apply(large);
  if (!button) return;
  button.addEventListener("click", () => {
    large = !root.classList.contains("large");
    apply(large);
    try { localStorage.setItem(LARGE, large ? "1" : "0"); } catch { /* not kept */ }
  });
}

/** Show a problem in `node` (a role="alert" element), or clear it with null. */
export function showProblem(node, error) {
  node.replaceChildren(...(error ? [el("p", {}, `Something went wrong: ${error.message}`)] : []));
  node.hidden = !error;
}
