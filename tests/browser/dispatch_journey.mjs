// The dispatcher's journey in a real browser, with axe-core on every page: the desk, a
// preview and a batch for the demo colony, the PDF, marking it sent, recording that the
// letter was delivered, held letters, the letter bank, the facility registry, a prisoner's
// placements, and a reply — at desktop width, with phone-width screenshots of each page.
// An approved letter for the colony is prepared through the API first.
// Usage: BASE_URL=… DISPATCHER=email PASSWORD=… TOKEN=(moderator token) node dispatch_journey.mjs
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import assert from 'node:assert/strict';
import { checkA11y } from './axe.mjs';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:8080';
const out = process.env.SCREENSHOT_DIR ?? '../../target/screenshots';
const label = process.env.LABEL ?? 'sqlite';
const token = process.env.TOKEN;
mkdirSync(out, { recursive: true });

async function api(method, path, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) assert.fail(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

// A letter for Vladlen Abdulkadyrov, held in the demo's colony, approved.
const prisoner = 'vladlen-abdulkadyrov';
const stamp = Date.now().toString(36);
const letter = await api('POST', '/api/v1/letters', {
  prisoner, language: 'ru', body: `Здравствуй, Владлен! Пишу из Одессы (${stamp}). Море шумит.`,
});
await api('POST', `/api/v1/letters/${letter.id}/claim`);
await api('POST', `/api/v1/letters/${letter.id}/approve`, {});

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'uk', acceptDownloads: true });
const page = await context.newPage();
const foreign = [];
page.on('request', (r) => { if (!r.url().startsWith(new URL(base).origin)) foreign.push(r.url()); });

let shot = 0;
async function visit(name) {
  await checkA11y(page, `dispatcher: ${name}`);
  shot += 1;
  const file = `${out}/dispatch-${label}-${String(shot).padStart(2, '0')}-${name}`;
  await page.screenshot({ path: `${file}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 360, height: 800 });
  await page.screenshot({ path: `${file}-360.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

await page.goto(`${base}/staff`);
await page.fill('#email', process.env.DISPATCHER);
await page.fill('#password', process.env.PASSWORD);
await Promise.all([page.waitForURL(`${base}/staff`), page.click('button[type=submit]')]);
await page.goto(`${base}/staff/delivery`);
await visit('desk');

// Preview, then build.
await page.selectOption('#b-facility', 'ik-21-iksa');
await page.selectOption('#b-channel', 'post');
await Promise.all([page.waitForURL(/facility=ik-21-iksa/), page.click('form[action="/staff/delivery"] button[type=submit]')]);
assert.ok((await page.textContent('main')).includes(`Пишу из Одессы (${stamp})`), 'the preview shows the letter');
await visit('preview');
await Promise.all([page.waitForURL(/\/staff\/batches\/[0-9a-f-]{36}$/), page.click('form[action="/staff/batches"] button[type=submit]')]);
const batchUrl = page.url();
await visit('batch');

// The PDF downloads.
const pdf = await page.request.get(`${batchUrl}/pdf`);
assert.equal(pdf.status(), 200);
assert.equal(pdf.headers()['content-type'], 'application/pdf');
assert.equal((await pdf.body()).subarray(0, 4).toString(), '%PDF');

// Sent, then delivered.
await page.fill('#sent-reference', `RPO ${stamp}`);
await Promise.all([page.waitForURL(batchUrl + '**'), page.click(`form[action$="/sent"] button[type=submit]`)]);
await visit('batch-sent');
await page.selectOption(`#outcome-${letter.id}-value`, 'delivered');
await page.fill(`#outcome-${letter.id}-note`, 'уведомление о вручении');
await Promise.all([page.waitForURL(batchUrl + '**'), page.click(`#outcome-${letter.id} button[type=submit]`)]);
await visit('batch-delivered');
const tracked = await (await fetch(`${base}/api/v1/letters/track/${letter.tracking_code}`)).json();
assert.equal(tracked.state, 'delivered');

// "Sent" once more, as a page kept open in another tab would send it: refused with a
// conflict that says why (the same 409 the API gives), and nothing changes.
await Promise.all([
  page.waitForURL(`${batchUrl}/sent`),
  page.evaluate((action) => {
    const form = document.createElement('form');
    form.method = 'post';
    form.action = action;
    for (const [name, value] of [['csrf', document.querySelector('input[name=csrf]').value], ['date', '']]) {
      const input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      input.value = value;
      form.append(input);
    }
    document.body.append(form);
    form.submit();
  }, `${batchUrl}/sent`),
]);
assert.ok((await page.textContent('main')).includes('уже позначено'), 'the page says the batch was marked sent');
await visit('batch-sent-twice');

// A mistyped batch address: a page that says so, not a bare error.
const mistyped = await page.goto(`${base}/staff/batches/not-a-batch`);
assert.equal(mistyped.status(), 404);
await visit('batch-not-found');

for (const [path, name] of [
  ['/staff/held', 'held'],
  ['/staff/bank', 'bank'],
  ['/staff/facilities', 'facilities'],
  ['/staff/facilities/ik-21-iksa', 'facility'],
  [`/staff/prisoners/${prisoner}/placements`, 'placements'],
  ['/staff/replies', 'replies'],
]) {
  await page.goto(`${base}${path}`);
  await visit(name);
}

// A reply from the prisoner.
await page.selectOption('#r-prisoner', prisoner);
await page.fill('#r-transcription', `Спасибо всем за письма (${stamp})!`);
await page.check('#r-consent');
await Promise.all([page.waitForURL(/\/staff\/replies\?recorded=/), page.click('form[action^="/staff/replies?csrf"] button[type=submit]')]);
await visit('reply-recorded');
const profile = await (await fetch(`${base}/prisoners/${prisoner}`)).text();
assert.ok(profile.includes(`Спасибо всем за письма (${stamp})!`), 'the consented reply is on the profile');

// Every page again in English and Crimean Tatar, for axe-core.
for (const lang of ['en', 'crh']) {
  for (const path of ['/staff/delivery?facility=ik-21-iksa&channel=post', batchUrl.replace(base, ''), '/staff/held',
    '/staff/bank', '/staff/facilities', '/staff/facilities/ik-21-iksa', `/staff/prisoners/${prisoner}/placements`, '/staff/replies']) {
    await page.goto(`${base}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
    await checkA11y(page, `dispatcher: ${path} (${lang})`);
  }
}

assert.deepEqual(foreign, [], 'no request leaves the site');
await browser.close();
console.log(`dispatcher journey (${label}): desk, preview, batch, PDF, sent, delivered, sent twice (409), a mistyped batch (404), held, bank, facilities, placements, reply — no axe violations in uk, en or crh`);
