// The one door to the vendored js-yaml (vendor/README.md): load and dump, nothing else.
export { dump, load } from "../vendor/js-yaml/js-yaml.js";
