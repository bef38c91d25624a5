// Takes a screenshot of each main public page at phone and desktop width in each language,
// runs axe (WCAG 2.2 A and AA) on each, and fails on any violation, any page wider than the
// window, or any request to another origin. Usage: BASE_URL=http://127.0.0.1:8080 node screenshots.mjs
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { checkA11y } from './axe.mjs';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:8080';
const out = process.env.SCREENSHOT_DIR ?? '../../target/screenshots';
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const origin = new URL(base).origin;
const foreign = [];
const inaccessible = [];
let checked = 0;
const pages = (process.env.PAGES ?? '/,/prisoners,/prisoners/remzi-bekirov,/events,/stats,/letters,/prisoners/nariman-dzhelyal,/about,/privacy').split(',');
const widths = { phone: 360, desktop: 1280 };
for (const lang of (process.env.LANGS ?? 'uk,en,crh').split(',')) {
  for (const [label, width] of Object.entries(widths)) {
    const context = await browser.newContext({ viewport: { width, height: 800 }, locale: lang });
    const page = await context.newPage();
    page.on('request', (r) => { if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) foreign.push(r.url()); });
    for (const path of pages) {
      await page.goto(`${base}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
      const name = `${path.replace(/[^a-z0-9]+/gi, '_') || 'home'}-${lang}-${label}.png`;
      await page.screenshot({ path: `${out}/${name}`, fullPage: true });
      checked += 1;
      const problems = [];
      try {
        await checkA11y(page, `${path} (${lang}, ${label})`);
      } catch (e) {
        problems.push(e.message);
      }
      // Reflow (WCAG 1.4.10): nothing makes the page scroll sideways.
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      if (scrollWidth > width) problems.push(`${path} (${lang}, ${label}) is ${scrollWidth} px wide, wider than the window`);
      if (problems.length) inaccessible.push(problems.join('\n'));
    }
    await context.close();
  }
}
await browser.close();
if (foreign.length) {
  console.error('requests to other origins:', foreign);
  process.exit(1);
}
if (inaccessible.length) {
  console.error(inaccessible.join('\n\n'));
  console.error(`accessibility: ${checked - inaccessible.length} passed, ${inaccessible.length} failed`);
  process.exit(1);
}
console.log(`screenshots saved in ${out}`);
console.log(`accessibility: ${checked} passed, 0 failed`);
