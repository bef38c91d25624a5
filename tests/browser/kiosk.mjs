// The kiosk at an event with a network that comes and goes: the kiosk opens online, the
// network drops, three letters are written, the page is reloaded and the browser is
// restarted while still offline, the network returns — and exactly three letters arrive,
// with the event attached. Then the link is replaced while the tablet is offline: the letter
// written before arrives through the old link, the one written after is refused, kept on the
// device and saved to a file by a volunteer, also from the closed kiosk's page, then removed
// from the tablet on the volunteer's confirmation.
// Usage: BASE_URL=… KIOSK=/kiosk/TOKEN EVENT=event-id COORDINATOR=email PASSWORD=… node kiosk.mjs
// (the coordinator's organisation runs the event)
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { checkA11y } from './axe.mjs';
import { authenticator, base32Decode } from './totp.mjs';

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

// The link is replaced while a tablet is offline with a letter on it; another is written
// after the replacement.
context = await launch();
page = context.pages()[0] ?? await context.newPage();
await page.goto(kiosk);
await context.setOffline(true);
await page.fill('#body', 'Написано до заміни посилання.');
await page.click('button[type=submit]');
await page.waitForFunction(() => document.getElementById('pending-count').textContent === '1');
// The coordinator's event page: the link and its QR, no button that makes a new one;
// replacing it needs a ticked confirmation.
const staffBrowser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const staff = await (await staffBrowser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'uk' })).newPage();
await staff.goto(`${base}/staff`);
await staff.fill('#email', process.env.COORDINATOR);
await staff.fill('#password', process.env.PASSWORD);
await Promise.all([staff.waitForURL(/\/staff\/enrol$/), staff.click('main button[type=submit]')]);
// A coordinator sets up a second factor first.
const codes = authenticator(base32Decode(await staff.textContent('#totp-secret')));
await staff.fill('#code', await codes.next());
await Promise.all([staff.waitForNavigation(), staff.click('main button[type=submit]')]);
assert.equal(await staff.locator('ul.codes li').count(), 10, 'the recovery codes');
await staff.goto(`${base}/staff/events/${eventId}`);
assert.equal(await staff.getAttribute('#kiosk-link', 'href'), kiosk, 'opening shows the link it has');
assert.equal(await staff.locator('#open-kiosk').count(), 0);
await checkA11y(staff, 'event page with its kiosk');
for (const width of [1280, 360]) {
  await staff.setViewportSize({ width, height: 900 });
  await staff.screenshot({ path: `${out}/staff-event-kiosk-${label}-${width}.png`, fullPage: true });
}
await staff.setViewportSize({ width: 1280, height: 900 });
await staff.click('details.kiosk-replace summary');
await staff.click('#replace-kiosk');
assert.equal(await staff.getAttribute('#kiosk-link', 'href'), kiosk, 'not replaced without the tick');
await staff.check('#replace-confirm');
await Promise.all([staff.waitForURL(/kiosk=replaced/), staff.click('#replace-kiosk')]);
const replaced = await staff.getAttribute('#kiosk-link', 'href');
assert.notEqual(replaced, kiosk, 'a new link');
assert.match(await staff.textContent('[role=status]'), /нове посилання/);
await checkA11y(staff, 'event page after the link was replaced');
await staff.screenshot({ path: `${out}/staff-event-kiosk-replaced-${label}.png`, fullPage: true });
await staffBrowser.close();
await page.waitForTimeout(1100);
await page.fill('#body', 'Написано після заміни посилання.');
await page.click('button[type=submit]');
await page.waitForFunction(() => document.getElementById('pending-count').textContent === '2');
await context.setOffline(false);
await page.evaluate(() => window.dispatchEvent(new Event('online')));
// The first arrives; the second stays, refused for good, and a volunteer saves it.
await page.waitForFunction(() => document.getElementById('pending-count').textContent === '1', null, { timeout: 30000 });
await page.waitForSelector('#kiosk-export:not([hidden])');
assert.match(await page.textContent('#kiosk-status'), /волонтера/);
assert.equal(await eventLetters(), before + 4, 'the letter written before the replacement arrived');
await page.screenshot({ path: `${out}/kiosk-${label}-refused.png`, fullPage: true });
const saved = async () => {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#kiosk-export')]);
  return readFileSync(await download.path(), 'utf8');
};
let file = await saved();
assert.match(file, /Написано після заміни посилання\./);
assert.doesNotMatch(file, /до заміни/, 'only what is still on the device');
// The old link's page is closed, and still offers the kept letter.
await page.goto(kiosk);
await page.waitForSelector('#kiosk-export:not([hidden])');
assert.match(await page.textContent('h1'), /замінили/);
await checkA11y(page, 'kiosk replaced');
await page.screenshot({ path: `${out}/kiosk-${label}-replaced.png`, fullPage: true });
file = await saved();
assert.match(file, /Написано після заміни посилання\./);
// Saved to a file, the letter can now be removed, so the next writer does not find it.
await page.waitForSelector('#kiosk-clear:not([hidden])');
page.once('dialog', (dialog) => dialog.accept());
await page.click('#kiosk-clear');
await page.waitForFunction(() => document.getElementById('pending').hidden === true);
assert.match(await page.textContent('#kiosk-status'), /прибрано/);
await page.screenshot({ path: `${out}/kiosk-${label}-cleared.png`, fullPage: true });
await context.close();
assert.equal(await eventLetters(), before + 4, 'the late letter never arrived');

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
