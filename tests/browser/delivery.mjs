// Delivery from end to end, through the API a dispatcher's tools use: a letter goes from
// approved into a batch, the batch PDF carries the Russian envelope block and the text
// (read back with pdftotext), the batch is sent and the letter delivered, a reply is
// recorded and the writer's email reaches a real local SMTP server; a transfer holds an
// unsent letter, and a letter that cannot be delivered lands in the letter bank.
//
// Usage: BASE_URL=… TOKEN=… (moderator + dispatcher + coordinator) MAILBOX=FILE (what
// the SMTP server prints) node delivery.mjs
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:8080';
const token = process.env.TOKEN;
const mailbox = process.env.MAILBOX;
const label = process.env.LABEL ?? 'sqlite';
assert.ok(token && mailbox, 'TOKEN and MAILBOX are required');
const work = mkdtempSync(join(tmpdir(), 'lysty-delivery-'));
const stamp = Date.now().toString(36);

async function api(method, path, body, expect = [200, 201]) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const type = response.headers.get('content-type') ?? '';
  const data = type.includes('json') ? await response.json() : Buffer.from(await response.arrayBuffer());
  assert.ok(expect.includes(response.status), `${method} ${path}: ${response.status} ${JSON.stringify(data)}`);
  return data;
}

/// A letter in Russian (no translation needed), taken through review to approved.
async function approvedLetter(prisoner, text, email) {
  const created = await api('POST', '/api/v1/letters', {
    prisoner,
    body: text,
    language: 'ru',
    writer_name: 'Оксана',
    writer_city: 'Київ',
    writer_country: 'Україна',
    ...(email ? { writer_email: email, email_consent: true } : {}),
  });
  await api('POST', `/api/v1/letters/${created.id}/claim`);
  await api('POST', `/api/v1/letters/${created.id}/approve`, {});
  return created;
}

const facility = `ik-e2e-${stamp}`;
await api('POST', '/api/v1/facilities', {
  slug: facility,
  name_ru: 'ФКУ ИК-2 УФСИН России по Республике Мордовия',
  name_en: 'Colony No. 2, Mordovia',
  address_ru: '431120, Республика Мордовия\nЗубово-Полянский район, п. Явас\nул. Центральная, д. 1',
  channels: 'post',
  needs_birth_year: true,
});
const elsewhere = `sizo-e2e-${stamp}`;
await api('POST', '/api/v1/facilities', {
  slug: elsewhere,
  name_ru: 'ФКУ СИЗО-2 г. Симферополь',
  address_ru: '295000, г. Симферополь, ул. Киевская, 4',
  channels: 'post',
});
const prisoner = 'remzi-bekirov';
await api('POST', `/api/v1/prisoners/${prisoner}/placements`, { facility, since: '2024-01-10' });

// Approved, into a batch, printed.
const text = `Дорогой Ремзи! Пишу тебе из Киева ${stamp}. У нас весна, цветут каштаны.`;
const letter = await approvedLetter(prisoner, text, `writer-${stamp}@example.org`);
const batch = await api('POST', '/api/v1/batches', { facility, channel: 'post', prisoner });
assert.ok(batch.letters.some((l) => l.id === letter.id), 'the approved letter is in the batch');
const pdf = await api('GET', `/api/v1/batches/${batch.id}/pdf?reply_kit=1`);
assert.equal(pdf.subarray(0, 4).toString(), '%PDF');
writeFileSync(join(work, 'batch.pdf'), pdf);
const printed = execFileSync('pdftotext', ['-layout', join(work, 'batch.pdf'), '-'], { encoding: 'utf8' });
const flat = printed.replace(/\s+/g, ' ');
for (const expected of ['Бекиров Ремзи', '431120, Республика Мордовия', 'п. Явас', 'ФКУ ИК-2', `из Киева ${stamp}`]) {
  assert.ok(flat.includes(expected), `the PDF lacks "${expected}":\n${printed}`);
}
// Signed as the writer chose (name, then city); nothing else of theirs is printed.
assert.ok(flat.includes('Оксана, Київ'), `the letter is signed:\n${printed}`);
assert.ok(!flat.includes(`writer-${stamp}`) && !flat.includes('Україна'), 'no email or country in the PDF');
assert.ok(!flat.includes('Оригинал письма'), 'a letter written in Russian is printed once');

// Sent, delivered.
await api('POST', `/api/v1/batches/${batch.id}/sent`, { reference: `RPO-${stamp}` });
await api('POST', `/api/v1/batches/${batch.id}/sent`, {}, [409]);
await api('POST', `/api/v1/letters/${letter.id}/outcome`, { outcome: 'delivered', note: 'уведомление о вручении' });
const tracked = await (await fetch(`${base}/api/v1/letters/track/${letter.tracking_code}`)).json();
assert.equal(tracked.state, 'delivered');

// A reply, and the writer's email through a real SMTP server.
const reply = await api('POST', `/api/v1/prisoners/${prisoner}/replies`, {
  received: new Date().toISOString().slice(0, 10),
  transcription: `Спасибо за письма ${stamp}!`,
  consent_publish: true,
});
assert.ok(reply.emails >= 1, `an email is queued: ${JSON.stringify(reply)}`);
const code = letter.tracking_code;
/// The messages the SMTP server printed, with their bodies decoded.
function received() {
  return readFileSync(mailbox, 'utf8')
    .split('---------- MESSAGE FOLLOWS ----------')
    .slice(1)
    .map((raw) => {
      const [head, ...rest] = raw.split(/\r?\n\r?\n/);
      const body = rest.join('\n\n').split('------------ END MESSAGE ------------')[0];
      const decoded = /content-transfer-encoding: base64/i.test(head)
        ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
        : body;
      return { head, body: decoded };
    });
}
let mail;
for (let i = 0; i < 100 && !mail; i++) {
  await new Promise((r) => setTimeout(r, 200));
  mail = received().find((m) => m.head.includes(`To: writer-${stamp}@example.org`));
}
assert.ok(mail, `the SMTP server received the writer's email:\n${readFileSync(mailbox, 'utf8').slice(-2000)}`);
assert.ok(mail.body.includes(`/letters/${code}`), `the email links to the letter:\n${mail.body}`);
assert.ok(!mail.body.includes(text), 'the email does not repeat the letter');
const page = await (await fetch(`${base}/letters/${code}`, { headers: { 'accept-language': 'en' } })).text();
assert.ok(page.includes('A reply arrived'), 'the tracking page shows the reply');
const profile = await (await fetch(`${base}/prisoners/${prisoner}`)).text();
assert.ok(profile.includes(`Спасибо за письма ${stamp}!`), 'a consented reply is on the profile');

// A transfer holds a letter not yet sent; the dispatcher banks it.
const waiting = await approvedLetter(prisoner, `Ещё одно письмо ${stamp}.`, null);
const moved = await api('POST', `/api/v1/prisoners/${prisoner}/placements`, { facility: elsewhere });
assert.ok(moved.held >= 1, `the transfer holds letters: ${JSON.stringify(moved)}`);
const held = await api('GET', '/api/v1/held');
assert.ok(held.letters.some((l) => l.id === waiting.id && l.held === 'transferred'), 'the letter is held');
await api('POST', '/api/v1/batches', { facility: elsewhere, channel: 'post', prisoner }, [422]);
await api('POST', `/api/v1/letters/${waiting.id}/bank`, { note: 'передать лично' });
const bank = await api('GET', '/api/v1/bank');
assert.ok(bank.prisoners.some((p) => p.prisoner === prisoner), 'the letter bank keeps it');
const bankPdf = await api('GET', `/api/v1/bank/${prisoner}/pdf`);
writeFileSync(join(work, 'bank.pdf'), bankPdf);
const banked = execFileSync('pdftotext', [join(work, 'bank.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
assert.ok(banked.includes(`Ещё одно письмо ${stamp}.`), 'the bank PDF holds the letter');

console.log(`delivery (${label}): batch printed, sent, delivered, reply emailed, transfer held, letter banked`);
