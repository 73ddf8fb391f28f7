// Copies GOV.UK Frontend's fonts, images and JavaScript next to the compiled CSS, so that
// collectstatic serves them at /static/build/govuk/.
import { cpSync, mkdirSync } from "node:fs";

const dist = "node_modules/govuk-frontend/dist/govuk";
mkdirSync("static/build/govuk", { recursive: true });
cpSync(`${dist}/assets`, "static/build/govuk/assets", { recursive: true });
cpSync(`${dist}/govuk-frontend.min.js`, "static/build/govuk/govuk-frontend.min.js");
