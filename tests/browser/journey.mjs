// The writer's journey in a real browser: open a profile, write a letter, send it, land on
// the thank-you page with a tracking code, and open the tracking page from there. Then the
// same journey by keyboard alone, in each language: Tab from the top of the page (the skip
// link comes first), type the letter, Tab to the submit button and press Enter — no clicks.
// axe (WCAG 2.2 A and AA) checks every page on the way.
// Usage: BASE_URL=http://127.0.0.1:8080 node journey.mjs
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import assert from 'node:assert/strict';
import { checkA11y } from './axe.mjs';

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
await checkA11y(page, 'profile');
// A first try with the consent box left unticked: the form comes back with the text kept.
await page.fill('#body', 'Добрий день! Пишу з Тернополя. У нас цвітуть каштани.');
await page.fill('#writer_email', 'writer@example.org');
await page.click('#send');
assert.equal(await page.inputValue('#body'), 'Добрий день! Пишу з Тернополя. У нас цвітуть каштани.');
assert.ok(await page.isVisible('#error-summary'));
await checkA11y(page, 'profile with form errors');
await page.screenshot({ path: `${out}/journey-1-error.png`, fullPage: true });

await page.check('#email_consent');
await page.fill('#writer_city', 'Тернопіль');
await Promise.all([page.waitForURL(/\/letters\/[0-9A-Z-]{19}\?new=1&updates=1(#write)?$/), page.click('#send')]);
const code = (await page.textContent('.tracking-code')).trim();
assert.ok(await page.isVisible('#updates-confirmed'), 'the emails the writer asked for are confirmed');
assert.ok((await page.textContent('main')).includes('Що буде далі'), 'what happens next');
assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
await page.screenshot({ path: `${out}/journey-2-thanks.png`, fullPage: true });
await checkA11y(page, 'thank-you page');

await page.goto(`${base}/letters`);
await checkA11y(page, 'tracking form');
await page.fill('#code', code.toLowerCase());
await Promise.all([page.waitForURL(new RegExp(`/letters/${code}$`)), page.click('button[type=submit]')]);
assert.ok((await page.textContent('main')).includes('Отримано'));
await page.screenshot({ path: `${out}/journey-3-tracking.png`, fullPage: true });
await checkA11y(page, 'tracking page');
await context.close();

// The element that has focus, described, with whether it shows a focus indicator: an
// outline at least 2 px wide whose colour has a contrast of at least 3:1 with the
// background around it (WCAG 2.4.7 and 1.4.11), and whether it is on screen (2.4.11).
async function focused(p) {
  return p.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'body' };
    const style = getComputedStyle(el);
    const rgb = (c) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = ([r, g, b]) => [r, g, b].map((v) => {
      const s = v / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    }).reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
    // The outline sits outside the element, so the colour around it is the parent's.
    let bg = [255, 255, 255];
    for (let n = el.parentElement; n; n = n.parentElement) {
      const c = rgb(getComputedStyle(n).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0)) { bg = c.slice(0, 3); break; }
    }
    const ol = rgb(style.outlineColor).slice(0, 3);
    const [hi, lo] = [lum(ol), lum(bg)].sort((x, y) => y - x);
    const contrast = (hi + 0.05) / (lo + 0.05);
    const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 && contrast >= 3;
    const box = el.getBoundingClientRect();
    return {
      tag: el.tagName.toLowerCase(), id: el.id, cls: el.className, type: el.getAttribute('type'),
      text: (el.textContent ?? '').trim().slice(0, 40), ring,
      contrast: Math.round(contrast * 100) / 100, inView: box.width > 0 && box.height > 0 && box.top >= -1 && box.left >= -1
        && box.bottom <= innerHeight + 1 && box.right <= innerWidth + 1,
    };
  });
}

// Presses Tab until `done(focus)` holds, checking that each stop on the way is visible
// and shows its focus; gives up after `max` presses.
async function tabUntil(p, done, what, max = 60) {
  for (let i = 0; i < max; i += 1) {
    await p.keyboard.press('Tab');
    const f = await focused(p);
    assert.notEqual(f.tag, 'body', `Tab left the page before reaching ${what}`);
    assert.ok(f.ring, `no visible focus on ${JSON.stringify(f)}`);
    assert.ok(f.inView, `focused element is not on screen: ${JSON.stringify(f)}`);
    if (done(f)) return f;
  }
  throw new Error(`${what} not reached after ${max} presses of Tab`);
}

const thanks = { uk: 'Дякуємо', en: 'Thank you', crh: 'Sağ oluñız' };
const keyboardLetter = {
  uk: ['Добрий день! Пишу з Вінниці, лише клавіатурою. У нас уже тепло.', 'Вінниця'],
  en: ['Good afternoon! I am writing from Leeds with the keyboard alone. It is warm here.', 'Leeds'],
  crh: ['Selâm! Aqmescitten yazam, tek klaviatura ile. Bizde hava sıcaq.', 'Aqmescit'],
};
for (const lang of ['uk', 'en', 'crh']) {
  const kb = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: lang });
  const k = await kb.newPage();
  k.on('request', (r) => { if (!r.url().startsWith(new URL(base).origin)) foreign.push(r.url()); });
  await k.goto(`${base}/prisoners/halyna-dovhopola?lang=${lang}`);
  await checkA11y(k, `profile (${lang}, keyboard)`);
  // The first Tab from the top of the page lands on the skip link, which shows itself.
  await k.keyboard.press('Tab');
  const skip = await focused(k);
  assert.equal(skip.cls, 'skip-link', `first Tab stop is the skip link, not ${JSON.stringify(skip)}`);
  assert.ok(skip.inView && skip.ring, 'the skip link is visible when focused');
  await k.keyboard.press('Enter');
  assert.equal((await focused(k)).id, 'main', 'the skip link moves focus to the main content');
  // From the main content, Tab to the letter's text box and type the letter.
  await tabUntil(k, (f) => f.id === 'body', 'the letter text box');
  const [letter, city] = keyboardLetter[lang];
  await k.keyboard.type(letter);
  assert.equal(await k.inputValue('#body'), letter);
  await tabUntil(k, (f) => f.id === 'writer_city', 'the city field');
  await k.keyboard.type(city);
  // Past "check my letter" to the send button.
  await tabUntil(k, (f) => f.id === 'send', 'the send button');
  await Promise.all([k.waitForURL(/\/letters\/[0-9A-Z-]{19}\?new=1(&updates=1)?(#write)?$/), k.keyboard.press('Enter')]);
  assert.ok((await k.textContent('h1')).includes(thanks[lang]), `thank-you page in ${lang}`);
  assert.match((await k.textContent('.tracking-code')).trim(), /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
  await k.screenshot({ path: `${out}/journey-keyboard-${lang}.png`, fullPage: true });
  await checkA11y(k, `thank-you page (${lang}, keyboard)`);
  await kb.close();
}

// The writer checks a risky letter before sending it. Without JavaScript: the form comes
// back with the passages marked and advice in Ukrainian; the writer rewrites, checks again
// and sends. With JavaScript the same hints appear while typing.
const kindsOf = async (body) => {
  const r = await fetch(`${base}/api/v1/letters/check`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ prisoner: 'halyna-dovhopola', body }),
  });
  assert.equal(r.status, 200);
  return (await r.json()).findings.map((f) => f.kind);
};
const draft = 'Галино, привіт! Скоро наша перемога, і Крим буде вільним. Передай привіт Бекірову. А в нас цвітуть каштани.';
const rewritten = 'Галино, привіт! У нас цвітуть каштани, діти бігають у парку, а я вчуся пекти хліб. Обіймаю!';
// At 390 px with JavaScript off (the form alone does it); at 1280 px with it on, where axe
// checks the answer.
for (const width of [390, 1280]) {
  const scripts = width !== 390;
  const cc = await browser.newContext({ viewport: { width, height: 900 }, locale: 'uk', javaScriptEnabled: scripts });
  const c = await cc.newPage();
  c.on('request', (r) => { if (!r.url().startsWith(new URL(base).origin)) foreign.push(r.url()); });
  await c.goto(`${base}/prisoners/halyna-dovhopola`);
  await c.fill('#body', draft);
  await c.fill('#writer_name', 'Оксана');
  await Promise.all([c.waitForNavigation(), c.click('button[name=check]')]);
  assert.ok(await c.isVisible('#check'), 'the check answers on the page');
  const marked = await c.locator('#check mark').allTextContents();
  assert.ok(marked.includes('перемога'), `the word is marked: ${marked}`);
  assert.ok(marked.some((m) => m.includes('Бекірову')), `the other prisoner is marked: ${marked}`);
  const advice = await c.locator('#check .check-advice li').allTextContents();
  assert.ok(advice.some((a) => a.startsWith('Війна:')), `advice in Ukrainian: ${advice}`);
  assert.ok(advice.some((a) => a.startsWith('Інші в\'язні:')), `advice about other prisoners: ${advice}`);
  assert.equal(await c.inputValue('#body'), draft, 'the letter is kept to be rewritten');
  assert.equal(await c.inputValue('#writer_name'), 'Оксана', 'the other fields too');
  if (scripts) { await checkA11y(c, `letter check (${width})`); }
  await c.screenshot({ path: `${out}/journey-check-${width}.png`, fullPage: true });
  if (width === 390) {
    await c.fill('#body', rewritten);
    await Promise.all([c.waitForNavigation(), c.click('button[name=check]')]);
    assert.ok(await c.isVisible('#check.check-clear'), 'the rewritten letter is clear');
    await Promise.all([c.waitForURL(/\/letters\/[0-9A-Z-]{19}\?new=1(&updates=1)?(#write)?$/), c.click('#send')]);
    assert.ok((await c.textContent('h1')).includes('Дякуємо'), 'sent after the check');
  }
  await cc.close();
}
// With JavaScript: the hints appear while typing, through the same checker.
const lc = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'uk' });
const l = await lc.newPage();
l.on('request', (r) => { if (!r.url().startsWith(new URL(base).origin)) foreign.push(r.url()); });
await l.goto(`${base}/prisoners/halyna-dovhopola`);
await l.type('#body', draft, { delay: 2 });
await l.waitForSelector('#live-check:not([hidden])', { timeout: 10000 });
const live = await l.textContent('#live-check');
assert.ok(live.includes('Війна:') && live.includes('перемога'), `live hints: ${live}`);
assert.ok((await l.inputValue('#warned')).includes('war'), 'the warning travels with the letter');
await checkA11y(l, 'live hints');
await l.locator('#body').scrollIntoViewIfNeeded();
await l.screenshot({ path: `${out}/journey-check-live.png`, fullPage: true });
await lc.close();
// What the check changed: the kinds the draft raised, and those of the letter sent.
const before = await kindsOf(draft);
const after = await kindsOf(rewritten);
assert.ok(before.length >= 3 && after.length === 0);
console.log(`writer's check: the draft raised ${before.length} kinds (${before.join(', ')}); the letter sent after rewriting raised ${after.length}. Letters flagged: 1 of 1 drafts, 0 of 1 sent.`);

await browser.close();
assert.deepEqual(foreign, [], 'no request leaves the site');
console.log('writer journey: 6 passed, 0 failed (keyboard in uk, en, crh; the check without and with JavaScript)');
