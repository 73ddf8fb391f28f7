// Starts GOV.UK Frontend's components (header menu, error summary focus, character counts...).
// Pages work without it: everything here is progressive enhancement.
import { initAll } from "../build/govuk/govuk-frontend.min.js";

initAll();
