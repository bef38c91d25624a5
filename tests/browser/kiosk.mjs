// The kiosk at an event with a network that comes and goes: the kiosk opens online, the
// network drops, three letters are written, the page is reloaded and the browser is
// restarted while still offline, the network returns — and exactly three letters arrive,
// with the event attached. Usage: BASE_URL=… KIOSK=/kiosk/TOKEN EVENT=event-id node kiosk.mjs
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { checkA11y } from './axe.mjs';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:8080';
const kiosk = `${base}${process.env.KIOSK}`;
const eventId = process.env.EVENT;
const label = process.env.LABEL ?? 'sqlite';
const out = process.env.SCREENSHOT_DIR ?? '../../target/screenshots';
mkdirSync(out, { recursive: true });
const profile = mkdtempSync(join(tmpdir(), 'lysty-kiosk-'));
const launch = () => chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
  viewport: { width: 800, height: 1100 },
  locale: 'uk',
});

async function eventLetters() {
  const events = await (await fetch(`${base}/api/v1/events`)).json();
  return events.events.find((e) => e.id === eventId).letters;
}

const before = await eventLetters();
let context = await launch();
let page = context.pages()[0] ?? await context.newPage();
const foreign = [];
page.on('request', (r) => { if (!r.url().startsWith(base)) foreign.push(r.url()); });
await page.goto(kiosk);
await checkA11y(page, 'kiosk');
await page.evaluate(() => navigator.serviceWorker.ready);
// The page caches itself and its assets; wait until it has.
await page.waitForFunction(async () => {
  const cache = await caches.open('lysty-kiosk');
  return (await cache.keys()).length >= 3;
});

await context.setOffline(true);
for (const [i, text] of ['Перший лист: вітаю з форуму!', 'Другий лист: тримайтеся!', 'Третій лист: ми пам\'ятаємо.'].entries()) {
  await page.selectOption('#prisoner', { index: i % 2 });
  await page.fill('#body', text);
  await page.click('button[type=submit]');
  await page.waitForFunction((n) => document.getElementById('pending-count').textContent === String(n), i + 1);
}
assert.equal(await page.inputValue('#body'), '', 'the form is ready for the next writer');
await page.screenshot({ path: `${out}/kiosk-${label}-offline.png`, fullPage: true });

// A reload while offline: the page comes from the cache, the letters from the device.
await page.reload();
await page.waitForFunction(() => document.getElementById('pending-count').textContent === '3');
await context.close();

// A browser restart, still offline.
context = await launch();
await context.setOffline(true);
page = context.pages()[0] ?? await context.newPage();
await page.goto(kiosk);
await page.waitForFunction(() => document.getElementById('pending-count').textContent === '3');
assert.equal(await eventLetters(), before, 'nothing arrived while offline');

await context.setOffline(false);
await page.waitForFunction(() => document.getElementById('pending').hidden === true, null, { timeout: 30000 });
await page.screenshot({ path: `${out}/kiosk-${label}-online.png`, fullPage: true });
await context.close();

assert.equal(await eventLetters(), before + 3, 'exactly three letters arrived, with the event');

// The kiosk in English and Crimean Tatar, for axe-core.
context = await launch();
page = context.pages()[0] ?? await context.newPage();
page.on('request', (r) => { if (!r.url().startsWith(base)) foreign.push(r.url()); });
for (const lang of ['en', 'crh']) {
  await page.goto(`${kiosk}?lang=${lang}`);
  await checkA11y(page, `kiosk (${lang})`);
}
await context.close();
assert.deepEqual(foreign, [], 'no request leaves the site');
console.log(`kiosk offline journey (${label}): 1 passed, 0 failed`);
