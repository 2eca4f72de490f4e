// Talking to this server's /v1: JSON in, JSON or text out, problems as RFC 9457 objects.
// Only this origin is ever asked; a request can be cancelled by a newer one.

export class ProblemError extends Error {
  constructor(problem) {
    super(problem.title || "Error");
    this.problem = problem;
  }
}

async function read(response, as) {
  if (!response.ok) {
    let problem;
    try {
      problem = await response.json();
    } catch {
      problem = { title: `The server answered ${response.status}`, detail: "" };
    }
    throw new ProblemError(problem);
  }
  if (as === "json") return response.json();
  if (as === "blob") return response.blob();
  return response.text();
}

export async function getJson(path, signal) {
  return read(await fetch(path, { signal, headers: { Accept: "application/json" } }), "json");
}

export async function postJson(path, body, as = "json", signal = undefined) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
    signal,
  });
  return read(response, as);
}

// Runs `task(signal)` after `delay` ms of quiet; a newer call cancels the older one, in
// flight or waiting, so a slow answer never overwrites a newer one.
export class Latest {
  constructor(delay = 300) {
    this.delay = delay;
    this.timer = null;
    this.controller = null;
  }

  run(task) {
    clearTimeout(this.timer);
    this.controller?.abort();
    this.settle?.(undefined); // a run cancelled before it started answers nothing
    const controller = new AbortController();
    this.controller = controller;
    return new Promise((resolve) => {
      this.settle = resolve;
      this.timer = setTimeout(async () => {
        this.settle = null;
        try {
          resolve(await task(controller.signal));
        } catch (error) {
          if (error.name === "AbortError") resolve(undefined);
          else resolve({ error });
        }
      }, this.delay);
    });
  }
}

// "/vessels/3/kind" -> ["vessels", 3, "kind"]
export function pointerParts(pointer) {
  return pointer
    .split("/")
    .slice(1)
    .map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~"))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}
