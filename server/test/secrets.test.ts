import { describe, expect, it } from 'vitest';
import { hashToken } from '../src/lib/secrets.ts';

describe('hashToken', () => {
  it('is the hex SHA-256 the database has always kept of a token (sessions stored by earlier versions still resolve)', () => {
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
