// The writer's journey in a real browser: open a profile, write a letter, send it, land on
// the thank-you page with a tracking code, and open the tracking page from there.
// Usage: BASE_URL=http://127.0.0.1:8080 node journey.mjs
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import assert from 'node:assert/strict';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:8080';
const out = process.env.SCREENSHOT_DIR ?? '../../target/screenshots';
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'uk' });
const page = await context.newPage();
const foreign = [];
page.on('request', (r) => { if (!r.url().startsWith(new URL(base).origin)) foreign.push(r.url()); });

await page.goto(`${base}/prisoners/halyna-dovhopola`);
// A first try with the consent box left unticked: the form comes back with the text kept.
await page.fill('#body', 'Добрий день! Пишу з Тернополя. У нас цвітуть каштани.');
await page.fill('#writer_email', 'writer@example.org');
await page.click('button[type=submit]');
assert.equal(await page.inputValue('#body'), 'Добрий день! Пишу з Тернополя. У нас цвітуть каштани.');
assert.ok(await page.isVisible('#error-summary'));
await page.screenshot({ path: `${out}/journey-1-error.png`, fullPage: true });

await page.check('#email_consent');
await page.fill('#writer_city', 'Тернопіль');
await Promise.all([page.waitForURL(/\/letters\/[0-9A-Z-]{19}\?new=1(#write)?$/), page.click('button[type=submit]')]);
const code = (await page.textContent('.tracking-code')).trim();
assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
await page.screenshot({ path: `${out}/journey-2-thanks.png`, fullPage: true });

await page.goto(`${base}/letters`);
await page.fill('#code', code.toLowerCase());
await Promise.all([page.waitForURL(new RegExp(`/letters/${code}$`)), page.click('button[type=submit]')]);
assert.ok((await page.textContent('main')).includes('Отримано'));
await page.screenshot({ path: `${out}/journey-3-tracking.png`, fullPage: true });

await browser.close();
assert.deepEqual(foreign, [], 'no request leaves the site');
console.log('writer journey: 1 passed, 0 failed');
