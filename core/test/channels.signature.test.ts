/// <reference types="node" />
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { constantTimeEqual, parseSignatureHeader, slidingWindow, verifySignature, WINDOW_MS } from '../src/index.ts';

const secret = 'atende-demo-app-secret';
const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
const hmac = (key: string, raw: Buffer) => () => new Uint8Array(createHmac('sha256', key).update(raw).digest());
const header = (key: string, raw: Buffer) => `sha256=${createHmac('sha256', key).update(raw).digest('hex')}`;

describe('webhook signatures', () => {
  it('accepts exactly the HMAC-SHA256 of the raw bytes with the app secret', () => {
    expect(verifySignature(header(secret, body), hmac(secret, body))).toBe(true);
    expect(verifySignature(header(secret, body).toUpperCase().replace('SHA256=', 'sha256='), hmac(secret, body))).toBe(true);
  });

  it('refuses another secret, a changed byte, a missing or malformed header', () => {
    expect(verifySignature(header('other', body), hmac(secret, body))).toBe(false);
    const changed = Buffer.from(body);
    changed[5] = changed[5]! ^ 1;
    expect(verifySignature(header(secret, changed), hmac(secret, body))).toBe(false);
    // Re-serialised JSON (spaces) is not the raw body Meta signed.
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 1));
    expect(verifySignature(header(secret, reserialised), hmac(secret, body))).toBe(false);
    let hashed = 0;
    const counting = () => (hashed++, hmac(secret, body)());
    for (const bad of [undefined, '', 'sha1=abc', 'sha256=', 'sha256=zz' + 'a'.repeat(62), `sha256=${'a'.repeat(63)}`, `sha256=${'a'.repeat(66)}`])
      expect(verifySignature(bad, counting)).toBe(false);
    expect(hashed).toBe(0);
    expect(parseSignatureHeader(['sha256=' + 'ab'.repeat(32)])).toHaveLength(32);
  });

  it('compares bytes without an early exit', () => {
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
    expect(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3]))).toBe(false);
  });
});

describe('the 24-hour window', () => {
  it('is open for 24 h after the customer last wrote, closed when unknown', () => {
    const t = Date.UTC(2026, 11, 1, 12);
    expect(slidingWindow(t, t + WINDOW_MS - 1)).toEqual({ kind: 'window', open: true, closesAt: t + WINDOW_MS });
    expect(slidingWindow(t, t + WINDOW_MS)).toMatchObject({ open: false });
    expect(slidingWindow(null, t)).toEqual({ kind: 'window', open: false, closesAt: null });
  });
});
