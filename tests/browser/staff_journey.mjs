// The staff journey in a real browser: a writer sends a Ukrainian letter; a moderator
// signs in, opens it, sees its flags and sends it to translation; a translator signs in
// and writes the Russian text beside the original; the moderator approves it. The audit
// trail of these steps is checked by `.ci/run` with `lysty audit` after the journey.
// Usage: BASE_URL=… MODERATOR=email TRANSLATOR=email PASSWORD=… node staff_journey.mjs
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import assert from 'node:assert/strict';
import { checkA11y } from './axe.mjs';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:8080';
const out = process.env.SCREENSHOT_DIR ?? '../../target/screenshots';
const label = process.env.LABEL ?? 'sqlite';
mkdirSync(out, { recursive: true });
const password = process.env.PASSWORD;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const foreign = [];
async function person(email) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'uk' });
  const page = await context.newPage();
  page.on('request', (r) => { if (!r.url().startsWith(new URL(base).origin)) foreign.push(r.url()); });
  await page.goto(`${base}/staff`);
  await checkA11y(page, 'staff sign-in');
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(`${base}/staff`), page.click('button[type=submit]')]);
  await checkA11y(page, `staff dashboard (${email})`);
  return page;
}

// A writer's letter, in Ukrainian.
const writer = await (await browser.newContext({ locale: 'uk' })).newPage();
await writer.goto(`${base}/prisoners/bohdan-ziza`);
await checkA11y(writer, 'profile');
const text = `Добрий день! Пишу вам із Львова (${label}). Сьогодні гарна погода, я читаю книжку про море.`;
await writer.fill('#body', text);
await Promise.all([writer.waitForURL(/\/letters\/[0-9A-Z-]{19}/), writer.click('#send')]);
await checkA11y(writer, 'thank-you page');

const moderator = await person(process.env.MODERATOR);
// The moderator records the words of a prisoner's case, on their page.
await moderator.goto(`${base}/staff/prisoners/bohdan-ziza/case`);
await checkA11y(moderator, 'case terms');
await moderator.fill('#terms', 'ч. 2 ст. 205.5 УК РФ\nсудья Ковалевский');
await Promise.all([moderator.waitForURL(/\/case\?saved$/), moderator.click('main button[type=submit]')]);
assert.ok(await moderator.isVisible('.alert-success'), 'the case terms are saved');
assert.equal(await moderator.inputValue('#terms'), 'ч. 2 ст. 205.5 УК РФ\nсудья Ковалевский');
await checkA11y(moderator, 'case terms saved');
await moderator.screenshot({ path: `${out}/staff-${label}-case-terms-1280.png`, fullPage: true });
await moderator.setViewportSize({ width: 360, height: 800 });
await moderator.screenshot({ path: `${out}/staff-${label}-case-terms-360.png`, fullPage: true });
await moderator.setViewportSize({ width: 1280, height: 900 });
await moderator.goto(`${base}/staff/review`);
await checkA11y(moderator, 'review queue');
await moderator.screenshot({ path: `${out}/staff-${label}-1-queue.png`, fullPage: true });
// The whole row opens the letter: a click on its excerpt, far from the date's link.
const row = moderator.locator('tr', { hasText: text.slice(0, 30) });
assert.ok((await row.textContent()).includes('українська'), 'the language by name, not its code');
await row.locator('td.excerpt').scrollIntoViewIfNeeded();
const excerpt = await row.locator('td.excerpt').boundingBox();
await Promise.all([moderator.waitForURL(/\/staff\/letters\//), moderator.mouse.click(excerpt.x + excerpt.width / 2, excerpt.y + excerpt.height / 2)]);
const letterUrl = moderator.url();
await checkA11y(moderator, 'letter, moderator, in review');
assert.ok((await moderator.textContent('main')).includes('Пишу вам із Львова'));
assert.ok(await moderator.isVisible('.flags'), 'flags are explained');
await moderator.screenshot({ path: `${out}/staff-${label}-2-letter.png`, fullPage: true });
await Promise.all([moderator.waitForURL(/done=translation/), moderator.click('#approve')]);
await checkA11y(moderator, 'review queue after sending to translation');

const translator = await person(process.env.TRANSLATOR);
await translator.goto(`${base}/staff/translation`);
await checkA11y(translator, 'translation queue');
await translator.goto(letterUrl);
await checkA11y(translator, 'letter, translator');
await translator.fill('#russian', 'Добрый день! Пишу вам из Львова. Сегодня хорошая погода, я читаю книгу о море.');
await translator.screenshot({ path: `${out}/staff-${label}-3-translation.png`, fullPage: true });
await Promise.all([translator.waitForURL(/done=translated/), translator.click('form[action$="/translation"] button[type=submit]')]);
await checkA11y(translator, 'translation queue after saving');

await moderator.goto(letterUrl);
await checkA11y(moderator, 'letter, moderator, translated');
assert.ok((await moderator.textContent('main')).includes('Добрый день'));
await Promise.all([moderator.waitForURL(/done=approved/), moderator.click('#approve')]);
await checkA11y(moderator, 'review queue after approving');
await moderator.screenshot({ path: `${out}/staff-${label}-4-approved.png`, fullPage: true });

// The same pages in the other languages, for axe-core (labels, lang attributes, contrast).
for (const lang of ['en', 'crh']) {
  for (const [who, path] of [[moderator, '/staff/review'], [moderator, letterUrl.replace(base, '')], [translator, '/staff/translation'], [moderator, '/staff/account']]) {
    await who.goto(`${base}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
    await checkA11y(who, `${path} (${lang})`);
  }
}

await browser.close();
assert.deepEqual(foreign, [], 'no request leaves the site');
console.log(`staff journey (${label}): 1 passed, 0 failed; its pages checked in uk, en and crh`);
