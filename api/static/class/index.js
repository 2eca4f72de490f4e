// The class hub: nothing to fetch; only the text-size switch.
import { setUpTextSize } from "./common.js";

setUpTextSize();
