// TOTP (RFC 6238 over RFC 4226) as an authenticator app computes it, for the journeys whose
// staff must set up a second factor: HMAC-SHA-1, 30-second steps, 6 digits, as lysty-auth's
// totp.rs uses.
import { createHmac } from 'node:crypto';
import assert from 'node:assert/strict';

const STEP_SECONDS = 30;
const DIGITS = 6;

export function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = text.toUpperCase().replace(/[\s=]/g, '');
  let bits = 0;
  let value = 0;
  const bytes = [];
  for (const ch of clean) {
    const index = alphabet.indexOf(ch);
    assert.ok(index >= 0, `not base32: ${ch}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

export function hotp(key, counter) {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(message).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** DIGITS).padStart(DIGITS, '0');
}

// RFC 6238 appendix B: the SHA-1 vectors, so a mistake here is caught before the server's.
{
  const key = Buffer.from('12345678901234567890');
  for (const [time, code] of [[59, '94287082'], [1111111109, '07081804'], [1234567890, '89005924'], [20000000000, '65353130']]) {
    const message = Buffer.alloc(8);
    message.writeBigUInt64BE(BigInt(Math.floor(time / 30)));
    const mac = createHmac('sha1', key).update(message).digest();
    const offset = mac[mac.length - 1] & 0x0f;
    assert.equal(String((mac.readUInt32BE(offset) & 0x7fffffff) % 1e8).padStart(8, '0'), code);
  }
}

export const currentStep = () => Math.floor(Date.now() / 1000 / STEP_SECONDS);

// The codes of one authenticator: the server takes a code of the current step or one either
// side, and only for a step later than the last one it accepted; a person would wait for the
// next code, which is what `next` does.
export function authenticator(secret) {
  let lastStep = -1;
  return {
    secret,
    /** The step of the last code given. */
    last: () => lastStep,
    async next() {
      while (currentStep() + 1 <= lastStep) await new Promise((r) => setTimeout(r, 500));
      const step = Math.max(currentStep(), lastStep + 1);
      lastStep = step;
      return hotp(secret, step);
    },
  };
}
