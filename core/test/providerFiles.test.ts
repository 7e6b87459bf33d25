import { describe, expect, it } from 'vitest';
import { checkProviderFile } from '../src/attachments/providerFiles.ts';

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
const rule = { maxBytes: 1024, allowedTypes: ['image/*', 'application/pdf', 'audio/ogg'] };

describe('checkProviderFile (both backends: files a provider sent)', () => {
  it('types the file by its bytes, not by what the provider said, and keeps the customer name', () => {
    expect(checkProviderFile(PNG, { kind: 'document', name: 'recibo.pdf' }, rule)).toEqual({ ok: true, mime: 'image/png', kind: 'image', name: 'recibo.pdf', size: PNG.length });
  });

  it('makes up a name from the kind and the detected type; a voice note is an audio', () => {
    const ogg = new TextEncoder().encode('OggS\u0000\u0002' + '\u0000'.repeat(30));
    expect(checkProviderFile(PNG, { kind: 'image', name: null }, rule)).toMatchObject({ ok: true, name: 'image.png' });
    expect(checkProviderFile(ogg, { kind: 'audio', name: null, voice: true }, rule)).toMatchObject({ ok: true, mime: 'audio/ogg', name: 'audio.ogg' });
  });

  it('refuses an empty file, one over the limit and a type the policy does not allow, saying why', () => {
    expect(checkProviderFile(new Uint8Array(), { kind: 'image', name: null }, rule)).toMatchObject({ ok: false, why: 'empty' });
    expect(checkProviderFile(new Uint8Array(2048), { kind: 'image', name: null }, rule)).toMatchObject({ ok: false, why: 'too-large', reason: expect.stringContaining('MB') });
    const text = new TextEncoder().encode('just words');
    expect(checkProviderFile(text, { kind: 'document', name: 'a.txt' }, rule)).toMatchObject({ ok: false, why: 'type', mime: 'text/plain', reason: expect.stringContaining('text/plain') });
  });

  it('keeps path separators and control characters out of the name', () => {
    expect(checkProviderFile(PNG, { kind: 'image', name: '../../etc/pass\u0000wd.png' }, rule)).toMatchObject({ name: '.._.._etc_pass_wd.png' });
  });
});
