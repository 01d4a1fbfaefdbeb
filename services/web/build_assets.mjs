// Copies the pages' front-end assets from node_modules into services/web/static/dist.
// Run by `make assets` after `npm ci`; plain Node, no bundler. The NHS.UK stylesheet is
// rewritten on the way: its image URLs point under /static/dist, and its @font-face rules
// (Frutiger, fetched from a CDN) are dropped so the page never calls out at run time; the
// font stack falls back to Arial, as the NHS.UK design system itself specifies.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const mods = join(root, "node_modules");
const out = join(here, "static", "dist");
const nhs = join(mods, "nhsuk-frontend", "dist", "nhsuk");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "test"), { recursive: true });

const css = readFileSync(join(nhs, "nhsuk-frontend.min.css"), "utf8")
  .replace(/@font-face\{[^}]*\}/g, "")
  .replaceAll("url(/assets/", "url(/static/dist/assets/");
if (css.includes("https://")) throw new Error("the stylesheet still names a remote URL");
writeFileSync(join(out, "nhsuk-frontend.min.css"), css);
cpSync(join(nhs, "nhsuk-frontend.min.js"), join(out, "nhsuk-frontend.min.js"));
cpSync(join(nhs, "assets", "images"), join(out, "assets", "images"), { recursive: true });
cpSync(join(mods, "htmx.org", "dist", "htmx.min.js"), join(out, "htmx.min.js"));
// axe-core is only for the browser tests; it is served from here so tests need no network.
cpSync(join(mods, "axe-core", "axe.min.js"), join(out, "test", "axe.min.js"));
writeFileSync(join(out, ".built"), "ok\n");
