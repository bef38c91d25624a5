// The administrator's journey in a real browser, with axe-core on every page: the first
// sign-in sets up the second factor (TOTP, the codes computed here as an authenticator app
// would, RFC 6238 with HMAC-SHA-1, 30-second steps and 6 digits, as lysty-auth's totp.rs
// uses), a wrong code first; the recovery codes; signing in again with a code and with a
// recovery code; an organisation created; a staff account added to it (password generated),
// its roles changed, its password reset, disabled, and the same address refused a second time; a lexicon term
// added (a waiting letter that contains it gets flagged), a blank one refused, the term
// removed (the flag goes); the audit log filtered by action and by object, showing each of
// those steps. Every page is checked in Ukrainian, English and Crimean Tatar, at 1280 and
// 360 px, with screenshots of both widths.
// Usage: BASE_URL=… ADMIN=email PASSWORD=… [LABEL=sqlite] [SCREENSHOT_DIR=…] node admin_journey.mjs
// The account must be an admin created with `lysty user add --role admin` that has not
// signed in yet.
import { chromium } from 'playwright-core';
import { authenticator, base32Decode, currentStep, hotp } from './totp.mjs';
import { mkdirSync } from 'node:fs';
import assert from 'node:assert/strict';
import { checkA11y } from './axe.mjs';
import { readFile } from 'node:fs/promises';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:8080';
const out = process.env.SCREENSHOT_DIR ?? '../../target/screenshots';
const label = process.env.LABEL ?? 'sqlite';
const admin = process.env.ADMIN;
const password = process.env.PASSWORD;
assert.ok(admin && password, 'ADMIN and PASSWORD are required');
mkdirSync(out, { recursive: true });
const stamp = Date.now().toString(36);

// --- TOTP, as an authenticator app computes it (totp.mjs) ---
let secret;
let app;
const nextCode = () => app.next();

// --- the browser ---
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
const overflow = [];
// axe-core at both widths, a screenshot of each, and a note of any page wider than a phone.
async function visit(name) {
  await checkA11y(page, `admin: ${name} (1280 px)`);
  shot += 1;
  const file = `${out}/admin-${label}-${String(shot).padStart(2, '0')}-${name}`;
  await page.screenshot({ path: `${file}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 360, height: 800 });
  await checkA11y(page, `admin: ${name} (360 px)`);
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (wide > 0) overflow.push(`${name}: ${wide} px wider than 360`);
  await page.screenshot({ path: `${file}-360.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

const main = () => page.textContent('main');
const inView = (selector) => page.locator(selector).evaluate((e) => {
  const r = e.getBoundingClientRect();
  return r.top >= 0 && r.bottom <= window.innerHeight;
});
// Clicks and waits for the page that answers (after any redirect) to load: a form that
// posts back to its own address gives no new URL to wait for.
async function press(target) {
  const locator = typeof target === 'string' ? page.locator(target) : target;
  await Promise.all([page.waitForEvent('framenavigated', (f) => f === page.mainFrame()), locator.click()]);
  await page.waitForLoadState('load');
}
const path = () => { const u = new URL(page.url()); return u.pathname + u.search; };
async function signIn(email) {
  await page.fill('#email', email);
  await page.fill('#password', password);
  await press('main button[type=submit]');
  assert.match(path(), /^\/staff\/(enrol|second-factor)$/);
}
async function signOut() {
  await press('form[action="/staff/logout"] button[type=submit]');
  assert.equal(path(), '/staff?signed-out');
}

// A waiting letter with a word that only the lexicon term added below makes suspicious.
const term = 'квазибомбикс';
const letterText = `Здравствуй! Пишу тебе из Харькова (${stamp}). Тут говорят слово ${term}, смешное.`;
{
  const response = await fetch(`${base}/api/v1/letters`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ prisoner: 'vladlen-abdulkadyrov', language: 'ru', body: letterText }),
  });
  assert.ok(response.ok, `letter: ${response.status} ${await response.text()}`);
}

// First sign-in: the second factor is set up before anything else.
await page.goto(`${base}/staff`);
await visit('sign-in');
await signIn(admin);
assert.match(page.url(), /\/staff\/enrol$/, 'an admin sets up a second factor first');
assert.ok(await page.isVisible('figure.qr svg'), 'the QR code is drawn');
await visit('enrol');
secret = base32Decode(await page.textContent('#totp-secret'));
app = authenticator(secret);
assert.equal(secret.length, 20, 'a 160-bit secret');
// A wrong code first: the code of none of the steps the server could take.
const near = [-1, 0, 1, 2].map((d) => hotp(secret, currentStep() + d));
let wrong = 0;
while (near.includes(String(wrong).padStart(6, '0'))) wrong += 1;
await page.fill('#code', String(wrong).padStart(6, '0'));
await press('main button[type=submit]');
assert.ok(await page.isVisible('#code-error'), 'a wrong code is explained');
assert.equal(await page.getAttribute('#code', 'aria-invalid'), 'true');
await visit('enrol-wrong-code');
await page.fill('#code', await nextCode());
await press('main button[type=submit]');
const recovery = (await page.locator('ul.codes li').allTextContents()).map((c) => c.trim());
assert.equal(recovery.length, 10, 'ten recovery codes');
await visit('recovery-codes');
{
  // Saved as a file, one code a line; on screen no code is broken across lines.
  const [saved] = await Promise.all([page.waitForEvent('download'), page.click('#download-codes')]);
  const lines = (await readFile(await saved.path(), 'utf8')).trim().split('\n');
  assert.deepEqual(lines, recovery, 'the file holds the ten codes');
  const wrapped = await page.locator('ul.codes li').evaluateAll((items) => items.filter((li) => li.getClientRects().length > 1 || li.offsetHeight > 2 * parseFloat(getComputedStyle(li).lineHeight || '20')).length);
  assert.equal(wrapped, 0, 'no code wraps');
}
await press("#continue");
assert.equal(path(), '/staff');
await visit('dashboard');

// Signing in again: password, then a fresh code (a used one is refused).
await signOut();
await signIn(admin);
assert.match(page.url(), /\/staff\/second-factor$/);
await visit('second-factor');
await page.fill('#code', hotp(secret, app.last()));
await press('main button[type=submit]');
assert.ok(await page.isVisible('#code-error'), 'a code used before is refused');
await visit('second-factor-used-code');
await page.fill('#code', await nextCode());
await press('main button[type=submit]');
assert.equal(path(), '/staff');

// An organisation.
const org = { slug: `journey-${stamp}`, uk: `Листи з дороги ${stamp}`, en: `Letters on the road ${stamp}` };
await page.goto(`${base}/staff/organisations`);
await visit('organisations');
// The browser checks the identifier's form before sending (the pattern must compile in
// the `v` mode browsers use for `pattern`, or it is silently ignored).
await page.fill('#org-slug', 'Not A Slug');
assert.equal(await page.$eval('#org-slug', (e) => e.validity.patternMismatch), true, 'the slug pattern is in force');
await page.fill('#org-slug', org.slug);
assert.equal(await page.$eval('#org-slug', (e) => e.validity.valid), true);
await page.fill('#org-uk', org.uk);
await page.fill('#org-en', org.en);
await press('form[action="/staff/organisations"] button[type=submit]');
assert.equal(path(), '/staff/organisations');
assert.ok((await main()).includes(org.slug), 'the organisation is listed');
assert.ok((await main()).includes(org.uk));
await visit('organisation-added');

// A staff account in it; the password is generated and shown once.
const person = `person-${stamp}@journey.example`;
await page.goto(`${base}/staff/people`);
await visit('people');
await page.fill('#new-email', person);
await page.fill('#new-name', `Оксана ${stamp}`);
await page.selectOption('#new-org', { label: org.uk });
const orgId = await page.inputValue('#new-org');
await page.check('#new-role-moderator');
await press('form[action="/staff/people#add-person"] button[type=submit]');
// The answer opens at the form, where the notice is.
assert.equal(new URL(page.url()).hash, '#add-person');
assert.ok(await inView('.alert-info'), 'the notice is in view');
const generated = (await page.textContent('.alert-info .tracking-code')).trim();
assert.ok(generated.length >= 12, 'a generated password is shown');
const row = page.locator('tbody tr', { hasText: person });
assert.ok((await row.textContent()).includes(org.uk), 'the account is in the new organisation');
const personId = (await row.locator('form.roles-form').getAttribute('action')).split('/')[3];
// One cannot disable oneself, so the page does not offer it.
const own = page.locator('tbody tr', { hasText: admin });
assert.equal(await own.locator('form[action$="/disable"]').count(), 0, 'no disable button for oneself');
await visit('person-added');
// A translator too.
await row.locator('input[value=translator]').check();
await press(row.locator('form.roles-form button[type=submit]'));
assert.equal(path(), '/staff/people');
assert.ok(await row.locator('input[value=moderator]').isChecked());
assert.ok(await row.locator('input[value=translator]').isChecked(), 'the new role is kept');
// Its password reset: behind a confirmation, shown once on its own page.
await row.locator('details.reset-password summary').click();
await visit('password-reset-confirm');
await row.locator('details.reset-password input[name=confirm]').check();
await press(row.locator('details.reset-password button[type=submit]'));
assert.equal(path(), `/staff/people/${personId}/password-reset`);
const reset = (await page.textContent('.alert-info .tracking-code')).trim();
assert.ok(reset.length >= 12 && reset !== generated, 'a new password is shown');
assert.ok((await main()).includes(person), 'for the person named');
await visit('password-reset');
await page.goto(`${base}/staff/people`);
// Disabled.
await press(row.locator(`form[action$="/disable"] button`));
assert.equal(path(), '/staff/people');
assert.ok(await row.locator('.tag').isVisible(), 'shown as disabled');
await visit('person-disabled');
// The same address again is refused, with the reason.
await page.fill('#new-email', person);
await page.fill('#new-name', 'Оксана');
await page.check('#new-role-viewer');
await press('form[action="/staff/people#add-person"] button[type=submit]');
assert.ok(await page.isVisible('.alert-error'), 'a taken address is explained');
assert.ok(await inView('#add-person-error'), 'beside the form');
await visit('person-email-taken');

// The lexicon: a term, a letter flagged by it, a blank term refused, the term removed.
const flaggedRow = () => page.locator('tbody tr', { hasText: `(${stamp})` });
await page.goto(`${base}/staff/review?flag=war`);
assert.equal(await flaggedRow().count(), 0, 'not flagged before the term is added');
await page.goto(`${base}/staff/lexicon`);
await visit('lexicon');
await page.fill('#term', term);
await page.selectOption('#term-language', 'ru');
await page.selectOption('#term-category', 'war');
await press('form[method=post][action="/staff/lexicon"] button[type=submit]');
// The page comes back searching for the new term (the list holds thousands).
const searched = `/staff/lexicon?q=${encodeURIComponent(term)}`;
assert.equal(path(), searched);
const termRow = page.locator('tbody tr', { hasText: term });
assert.equal(await termRow.count(), 1, 'the term is listed');
assert.equal((await termRow.locator('td').nth(1).textContent()).trim(), 'російська', 'the language by name');
const termId = (await termRow.locator('form').getAttribute('action')).split('/')[3];
await visit('term-added');
await page.goto(`${base}/staff/review?flag=war`);
assert.equal(await flaggedRow().count(), 1, 'the waiting letter is flagged by the new term');
await page.goto(`${base}/staff/lexicon`);
await page.fill('#term', '   ');
await press('form[method=post][action="/staff/lexicon"] button[type=submit]');
assert.ok(await page.isVisible('.alert-error'), 'a blank term is explained');
await visit('term-blank');
// Found by the search form, then removed: the page comes back to the same search.
await page.fill('#lexicon-q', term);
await press('form[role=search] button[type=submit]');
assert.equal(new URL(page.url()).searchParams.get('q'), term, 'the search is in the address');
// Removing asks first: the button appears only once "Remove" is opened.
assert.equal(await termRow.locator('button[type=submit]').isVisible(), false, 'no one-click removal');
await termRow.locator('details.confirm-remove summary').click();
await press(termRow.locator('button[type=submit]'));
assert.equal(path(), searched);
assert.equal(await termRow.count(), 0, 'the term is gone');
await visit('term-removed');
await page.goto(`${base}/staff/review?flag=war`);
assert.equal(await flaggedRow().count(), 0, 'the flag goes with the term');

// The audit log, filtered by action and by object.
await page.goto(`${base}/staff/audit`);
await visit('audit');
async function filter(action, object) {
  await page.fill('#a-action', action);
  await page.fill('#a-object', object);
  await press('main form.filters button[type=submit]');
  const u = new URL(page.url());
  assert.equal(u.pathname, '/staff/audit');
  assert.equal(u.searchParams.get('action'), action);
  assert.equal(u.searchParams.get('object'), object);
  // Each row as its action's code (the row says it in words) and its text.
  const texts = await page.locator('table.audit tbody tr')
    .evaluateAll((trs) => trs.map((tr) => `${tr.dataset.action} ${tr.textContent}`));
  return texts.map((t) => t.replace(/\s+/g, ' '));
}
let rows = await filter('organisation_saved', '');
assert.ok(rows.some((r) => r.includes(orgId) && r.includes(admin) && r.includes(org.slug)), `organisation_saved: ${rows}`);
assert.ok(rows.every((r) => r.includes('organisation_saved')), 'only that action');
assert.ok(rows.every((r) => r.includes('Організацію збережено')), `the action in words: ${rows}`);
await visit('audit-organisation');
// The object's identifier leads to everything about it; "show all" back to the whole log.
await press(page.locator('table.audit tbody tr', { hasText: org.slug }).locator(`a[href*="object="]`));
assert.equal(new URL(page.url()).searchParams.get('object'), orgId);
assert.equal(await page.inputValue('#a-object'), orgId);
assert.ok(await page.locator('table.audit tr[data-action=organisation_saved]').count() > 0);
await press('#audit-all');
assert.equal(path(), '/staff/audit');
assert.equal(await page.locator('#audit-all').count(), 0);
rows = await filter('', personId);
for (const action of ['staff_created', 'role_change', 'password_reset', 'staff_disabled']) {
  assert.ok(rows.some((r) => r.includes(action) && r.includes(admin)), `${action} for ${personId}: ${rows}`);
}
assert.ok(rows.every((r) => !r.includes(` ${personId}`)), `the person is named, not numbered: ${rows}`);
await visit('audit-person');
rows = await filter('lexicon_add', '');
assert.ok(rows.some((r) => r.includes(admin) && r.includes(`ru/war: ${term}`)), `lexicon_add names the term: ${rows}`);
rows = await filter('lexicon_remove', termId);
assert.equal(rows.length, 1, `lexicon_remove of ${termId}: ${rows}`);
assert.ok(rows[0].includes(`ru/war: ${term}`), `lexicon_remove names the term: ${rows}`);
for (const action of ['second_factor_enrolled', 'second_factor_failed', 'second_factor']) {
  rows = await filter(action, '');
  assert.ok(rows.some((r) => r.includes(admin)), `${action}: ${rows}`);
}
rows = await filter('no_such_action', '');
assert.equal(rows.length, 0);
assert.ok(await page.isVisible('main .empty'), 'an empty result says so');
await visit('audit-empty');
const auditFiltered = `/staff/audit?action=staff_created&object=${personId}`;

// A prisoner added on the registry's page: a refused field keeps everything typed; then
// published, with a Crimean Tatar story that the Crimean Tatar page shows.
const prisonerSlug = `journey-${stamp}`;
await page.goto(`${base}/staff/prisoners`);
await visit('prisoners');
await press('#add-prisoner');
await visit('prisoner-new');
await page.fill('#f-name_uk', `Олена Журавель ${stamp}`);
await page.fill('#f-name_en', `Olena Zhuravel ${stamp}`);
await page.fill('#f-slug', 'Olena Zhuravel');
await page.selectOption('#f-gender', 'female');
await page.fill('#f-story_crh', `Qırımlı ocapçı ${stamp}.`);
await press('#save-prisoner');
assert.ok(await page.isVisible('#f-slug-error'), 'the address is refused');
assert.equal(await page.inputValue('#f-story_crh'), `Qırımlı ocapçı ${stamp}.`, 'nothing typed is lost');
await visit('prisoner-refused');
await page.fill('#f-slug', prisonerSlug);
await page.check('#f-published');
await press('#save-prisoner');
assert.equal(path(), `/staff/prisoners/${prisonerSlug}/edit?saved`);
await visit('prisoner-saved');
await page.goto(`${base}/prisoners/${prisonerSlug}`);
assert.match(await main(), /Засуджена/, 'the status agrees with her');
await page.goto(`${base}/prisoners/${prisonerSlug}?lang=crh`);
assert.match(await main(), new RegExp(`Qırımlı ocapçı ${stamp}`));
await page.goto(`${base}/staff/audit`);
rows = await filter('prisoner_added', '');
assert.ok(rows.some((r) => r.includes(prisonerSlug)), `prisoner_added: ${rows}`);

// An export with the writers' personal data: asked for explicitly, and in the audit log.
await page.goto(`${base}/staff/export`);
await visit('export');
await page.check('#personal-data');
const [download] = await Promise.all([page.waitForEvent('download'), page.click('main button[type=submit]')]);
const header = (await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '').split('\n')[0];
assert.ok(header.endsWith('writer_name,writer_email,body'), `personal-data columns: ${header}`);
await page.goto(`${base}/staff/audit`);
rows = await filter('export_personal_data', '');
assert.ok(rows.some((r) => r.includes(admin)), `export_personal_data: ${rows}`);

// Every page again in English and Crimean Tatar (and Ukrainian once more after them), each
// time from the sign-in, with a recovery code for the second factor.
let recoveryUsed = 0;
for (const lang of ['en', 'crh', 'uk']) {
  await signOut();
  await page.goto(`${base}/staff?lang=${lang}`);
  assert.equal(await page.getAttribute('html', 'lang'), lang);
  await visit(`${lang}-sign-in`);
  await signIn(admin);
  await visit(`${lang}-second-factor`);
  if (lang === 'uk') {
    await page.fill('#code', await nextCode());
  } else {
    await page.fill('#code', recovery[recoveryUsed]);
    recoveryUsed += 1;
  }
  await press('main button[type=submit]');
assert.equal(path(), '/staff');
  for (const [path, name] of [
    ['/staff', 'dashboard'],
    ['/staff/organisations', 'organisations'],
    ['/staff/people', 'people'],
    ['/staff/lexicon', 'lexicon'],
    ['/staff/audit', 'audit'],
    [auditFiltered, 'audit-filtered'],
    ['/staff/enrol', 'enrol'],
    ['/staff/account', 'account'],
    ['/staff/export', 'export'],
    ['/staff/report', 'report'],
    ['/staff/prisoners', 'prisoners'],
    [`/staff/prisoners/${prisonerSlug}/edit`, 'prisoner-edit'],
  ]) {
    await page.goto(`${base}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
    assert.equal(await page.getAttribute('html', 'lang'), lang);
    await visit(`${lang}-${name}`);
  }
}
// A used recovery code is refused.
await signOut();
await signIn(admin);
await page.fill('#code', recovery[0]);
await press('main button[type=submit]');
assert.ok(await page.isVisible('#code-error'), 'a recovery code works once');

await browser.close();
assert.deepEqual(foreign, [], 'no request leaves the site');
if (overflow.length) console.log(`admin journey (${label}): wider than a phone:\n  ${overflow.join('\n  ')}`);
console.log(`admin journey (${label}): second factor, organisation, staff account, lexicon term, a prisoner added, audit log — ${shot} pages, no axe violations in uk, en or crh at 1280 and 360 px`);
