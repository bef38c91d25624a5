// The annual report in a real browser, with axe-core on every page: a viewer signs in,
// opens this year's report in Ukrainian, English and Crimean Tatar, types a wrong year
// (the message is tied to the field and the year is kept), and downloads the PDF and the
// Markdown — at desktop width, with phone-width screenshots of each page.
// Usage: BASE_URL=… VIEWER=email PASSWORD=… node report_journey.mjs
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import assert from 'node:assert/strict';
import { checkA11y } from './axe.mjs';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:8080';
const out = process.env.SCREENSHOT_DIR ?? '../../target/screenshots';
const label = process.env.LABEL ?? 'sqlite';
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'uk', acceptDownloads: true });
const page = await context.newPage();
const foreign = [];
page.on('request', (r) => { if (!r.url().startsWith(new URL(base).origin)) foreign.push(r.url()); });

async function visit(name) {
  await checkA11y(page, `report: ${name}`);
  const file = `${out}/report-${label}-${name}`;
  await page.screenshot({ path: `${file}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 360, height: 800 });
  await page.screenshot({ path: `${file}-360.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

await page.goto(`${base}/staff`);
await page.fill('#email', process.env.VIEWER);
await page.fill('#password', process.env.PASSWORD);
await Promise.all([page.waitForURL(`${base}/staff`), page.click('button[type=submit]')]);

const year = new Date().getUTCFullYear();
await page.click('nav.main-nav a[href="/staff/report"]');
await page.waitForURL(/\/staff\/report/);
assert.equal(await page.textContent('h1'), `Річний звіт за ${year} рік`);
assert.ok(await page.locator('table.report-table').count() >= 2, 'the figures are in tables');
await visit('uk');
for (const lang of ['en', 'crh']) {
  await page.goto(`${base}/staff/report?year=${year}&lang=${lang}`);
  assert.equal(await page.getAttribute('html', 'lang'), lang);
  await visit(lang);
}

// A wrong year: the browser stops it first; the server's message is tied to the field and
// what was typed stays.
await page.goto(`${base}/staff/report?lang=en`);
await page.fill('#r-year', '1999');
await page.click('.report-controls button[type=submit]');
assert.equal(await page.$eval('#r-year', (el) => el.validity.rangeUnderflow), true);
await page.goto(`${base}/staff/report?year=1999&lang=en`);
assert.equal(await page.getAttribute('#r-year', 'aria-invalid'), 'true');
assert.equal(await page.inputValue('#r-year'), '1999');
assert.match(await page.textContent('#r-year-error'), /The year must be a number from 2000/);
await visit('wrong-year');

// Downloads.
await page.goto(`${base}/staff/report?year=${year}&lang=en`);
for (const [format, check] of [
  ['pdf', (bytes) => assert.equal(bytes.subarray(0, 4).toString(), '%PDF')],
  ['md', (bytes) => assert.match(bytes.toString(), new RegExp(`^# Annual report ${year}`))],
]) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click(`a[href*="format=${format}"]`),
  ]);
  assert.equal(download.suggestedFilename(), `lysty-report-${year}.${format}`);
  check(await readFile(await download.path()));
}

assert.deepEqual(foreign, [], 'no request leaves the site');
await browser.close();
console.log(`report journey (${label}): the report in uk, en and crh, a wrong year kept, PDF and Markdown downloaded — no axe violations`);
