// The library's status (GET /v1/cases/status): how many cases, from where, and each
// instructor's file that could not join, with the field and the fix.
import { el, getJSON, setUpTextSize, showProblem } from "./common.js";

setUpTextSize();

async function load() {
  const summary = document.getElementById("summary");
  try {
    const found = await getJSON("/v1/cases/status");
    const folder = found.folder
      ? `${found.instructor_cases} from the instructor's folder ${found.folder}`
      : "no instructor's folder is configured";
    summary.textContent = `${found.cases} cases in the library; ${folder}.`;
    const list = document.getElementById("rejected");
    list.replaceChildren(...found.rejected.map((item) => el(
      "li", {}, el("code", {}, item.file), ": ", item.problem,
    )));
    document.getElementById("rejected-section").hidden = !found.rejected.length;
    if (found.folder && !found.rejected.length) summary.textContent += " Every file joined.";
  } catch (error) {
    summary.textContent = "";
    showProblem(document.getElementById("problem"), error);
  }
}

load();
