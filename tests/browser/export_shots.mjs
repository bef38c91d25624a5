// The export page, looked at (run by hand, not by CI): an admin and a coordinator sign in
// for the first time (second factor set up with codes computed here, as in
// admin_journey.mjs), open /staff/export in Ukrainian, English and Crimean Tatar, each
// checked by axe-core at 1280 and 360 px with screenshots of both widths, and download a
// file (the admin's with personal data).
// Usage: BASE_URL=… ADMIN=email COORDINATOR=email PASSWORD=… [SCREENSHOT_DIR=…] node export_shots.mjs
// Both accounts must be new (not signed in yet) and share the password.
import { chromium } from 'playwright-core';
import { createHmac } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { checkA11y } from './axe.mjs';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:8080';
const out = process.env.SCREENSHOT_DIR ?? '../../target/screenshots';
const password = process.env.PASSWORD;
mkdirSync(out, { recursive: true });

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const bytes = [];
  for (const ch of text.toUpperCase().replace(/[\s=]/g, '')) {
    value = (value << 5) | alphabet.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

function totp(key) {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30)));
  const mac = createHmac('sha1', key).update(message).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1e6).padStart(6, '0');
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});

const overflow = [];
async function session(who, email) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'uk', acceptDownloads: true });
  const page = await context.newPage();
  const press = async (selector) => {
    await Promise.all([page.waitForEvent('framenavigated', (f) => f === page.mainFrame()), page.click(selector)]);
    await page.waitForLoadState('load');
  };
  await page.goto(`${base}/staff`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await press('main button[type=submit]');
  assert.match(page.url(), /\/staff\/enrol$/);
  const secret = base32Decode(await page.textContent('#totp-secret'));
  await page.fill('#code', totp(secret));
  await press('main button[type=submit]');
  await press('main a.button');
  for (const lang of ['uk', 'en', 'crh']) {
    await page.goto(`${base}/staff/export?lang=${lang}`);
    const name = `export-${who}-${lang}`;
    await checkA11y(page, `${name} (1280 px)`);
    await page.screenshot({ path: `${out}/${name}-1280.png`, fullPage: true });
    await page.setViewportSize({ width: 360, height: 800 });
    await checkA11y(page, `${name} (360 px)`);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (wide > 0) overflow.push(`${name}: ${wide} px wider than 360`);
    await page.screenshot({ path: `${out}/${name}-360.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  }
  return { context, page };
}

{
  const { context, page } = await session('admin', process.env.ADMIN);
  await page.check('#personal-data');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('main button[type=submit]')]);
  const file = await download.path();
  const text = readFileSync(file, 'utf8');
  console.log(download.suggestedFilename(), text.split('\n')[0]);
  assert.match(download.suggestedFilename(), /^lysty-letters-personal-data-\d{4}-\d{2}-\d{2}\.csv$/);
  assert.ok(text.split('\n')[0].endsWith('writer_name,writer_email,body'));
  await context.close();
}
{
  const { context, page } = await session('coordinator', process.env.COORDINATOR);
  assert.equal(await page.locator('#personal-data').count(), 0, 'no personal-data box');
  await page.check('#what-stats');
  await page.check('#format-json');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('main button[type=submit]')]);
  console.log(download.suggestedFilename());
  JSON.parse(readFileSync(await download.path(), 'utf8'));
  await context.close();
}
await browser.close();
assert.deepEqual(overflow, [], 'no page wider than a phone');
console.log('export pages: ok');
