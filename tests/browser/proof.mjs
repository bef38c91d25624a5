// A campaign under attack turns on the proof of work (`limits.proof_of_work`): the writer
// notices nothing but, at most, a short "confirming" line — the browser solves the challenge
// while they write and the letter goes through. Without JavaScript the form says plainly that
// sending needs it, and a letter sent anyway comes back with its text kept.
// Usage: BASE_URL=http://127.0.0.1:8080 node proof.mjs   (a server with the proof of work on)
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
const text = 'Добрий день! Пишу з Полтави. Тримайтеся, ми пам’ятаємо.';

// With JavaScript: type and send at once; the letter waits for the proof, then goes.
const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'uk' });
const page = await phone.newPage();
await page.goto(`${base}/prisoners/halyna-dovhopola`);
assert.ok(await page.locator('input[name="proof"][data-challenge]').count() === 1, 'the form carries a challenge');
await checkA11y(page, 'profile with the proof of work');
await page.fill('#body', text);
const started = Date.now();
await Promise.all([page.waitForURL(/\/letters\/[0-9A-Z-]{19}\?new=1(#write)?$/, { timeout: 60_000 }), page.click('#send')]);
console.log(`proof of work: the letter was accepted ${Date.now() - started} ms after "send"`);
await page.screenshot({ path: `${out}/proof-thanks.png`, fullPage: true });

// Without JavaScript: told before writing; a letter sent anyway comes back with its text.
const plain = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en', javaScriptEnabled: false });
const noscript = await plain.newPage();
await noscript.goto(`${base}/prisoners/halyna-dovhopola?lang=en#write`);
assert.ok(await noscript.isVisible('#proof-noscript'), 'the no-JavaScript notice shows');
await noscript.screenshot({ path: `${out}/proof-noscript.png`, fullPage: false });
await noscript.fill('#body', text);
await noscript.click('#send');
assert.equal(await noscript.inputValue('#body'), text, 'the text is kept');
assert.ok((await noscript.textContent('#banner')).includes('needs JavaScript'), 'the reason is given');
assert.ok(!(await noscript.isVisible('#proof-noscript')), 'said once, not twice');
await noscript.screenshot({ path: `${out}/proof-refused.png`, fullPage: false });

await browser.close();
console.log('proof-of-work journey: ok');
