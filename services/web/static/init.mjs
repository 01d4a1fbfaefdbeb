// Starts the NHS.UK frontend components (header menu, skip link, details...).
import { initAll } from "./dist/nhsuk-frontend.min.js";

initAll();
