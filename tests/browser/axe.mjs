// Runs axe-core (from the local node_modules, never a CDN) on the page as it is now and
// throws with a readable list when it finds any WCAG 2.0/2.1/2.2 level A or AA violation.
// Usage: import { checkA11y } from './axe.mjs'; … await checkA11y(page, 'home uk phone');
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
export const axePath = require.resolve('axe-core/axe.min.js');

// The site's CSP forbids inline scripts, and `page.addScriptTag({ path })` adds an inline
// <script> element, which that CSP blocks. `page.evaluate(source)` runs the source through
// the DevTools protocol instead, which no CSP applies to, so the pages are tested with
// their real CSP in force (no `bypassCSP`).
let axeSource;

const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export async function checkA11y(page, label) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    axeSource ??= readFileSync(axePath, 'utf8');
    await page.evaluate(axeSource);
  }
  const results = await page.evaluate(
    (values) => window.axe.run(document, { runOnly: { type: 'tag', values }, resultTypes: ['violations'] }),
    tags,
  );
  const violations = results.violations;
  if (violations.length === 0) return results;
  const lines = [`accessibility violations on ${label} (${page.url()}):`];
  for (const v of violations) {
    lines.push(`- ${v.id} [${v.impact}] ${v.help} (${v.helpUrl.replace(/\?.*$/, '')})`);
    for (const node of v.nodes.slice(0, 8)) {
      const summary = (node.failureSummary ?? '').split('\n').slice(1).map((s) => s.trim()).filter(Boolean).join('; ');
      lines.push(`    ${node.target.join(' >> ')}${summary ? `: ${summary}` : ''}`);
    }
    if (v.nodes.length > 8) lines.push(`    … and ${v.nodes.length - 8} more`);
  }
  throw new Error(lines.join('\n'));
}
