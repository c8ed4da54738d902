import { describe, expect, it } from 'vitest';
import {
  batchMessage, cleanHex, fingerprintOf, hexProblem, isPublicKeyHex, keyBody, liveKey, publicKeyProblem, registrant, retiredKeys, rotationMessage, signatureProblem,
  type UsageKey,
} from './usageKey';

const KEY = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const SIG = 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';
// KEY is the public key of RFC 8032's first test vector (secret 9d61b19d…7f60); NEW_KEY that of the
// seed [7; 32]; ROTATION_SIG the signature of KEY's secret over the rotation message to NEW_KEY for
// supplier sup_123, made by Python's `cryptography` (an Ed25519 signer that is not this code).
const NEW_KEY = 'ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c';
const ROTATION_SIG = 'f7a7f4806449f10bb1a383e38b2fc13bf3cd71a55a76c4f1ec76034d5bae726f8ef6605b634636293242c3892e6d958a255916b783230624e45af7590586bb07';

/** Whether `sig` is `key`'s Ed25519 signature of the UTF-8 bytes of `message` (Web Crypto). */
async function verifies(key: string, message: string, sig: string): Promise<boolean> {
  const bytes = (h: string) => new Uint8Array(h.match(/../g)!.map((x) => parseInt(x, 16)));
  const k = await crypto.subtle.importKey('raw', bytes(key), { name: 'Ed25519' }, false, ['verify']);
  return crypto.subtle.verify({ name: 'Ed25519' }, k, bytes(sig), new TextEncoder().encode(message));
}

describe('usage key hex checks', () => {
  it('takes a public key of 64 hex characters, either case, blanks of a paste removed', () => {
    expect(publicKeyProblem(KEY)).toBeNull();
    expect(publicKeyProblem(KEY.toUpperCase())).toBeNull();
    expect(publicKeyProblem(`  ${KEY.slice(0, 32)}\n${KEY.slice(32)} `)).toBeNull();
    expect(isPublicKeyHex(KEY)).toBe(true);
    expect(cleanHex(` ${KEY.toUpperCase()}\n`)).toBe(KEY);
  });

  it('refuses an empty key, a character that is not hex, and the wrong length', () => {
    expect(publicKeyProblem('')).toBe('required');
    expect(publicKeyProblem('   ')).toBe('required');
    expect(publicKeyProblem(undefined)).toBe('required');
    expect(publicKeyProblem(KEY.slice(0, 63))).toBe('length');
    expect(publicKeyProblem(`${KEY}00`)).toBe('length');
    expect(publicKeyProblem(`${KEY.slice(0, 63)}g`)).toBe('chars');
    expect(publicKeyProblem(`0x${KEY.slice(2)}`)).toBe('chars');
    expect(publicKeyProblem(KEY.replace(/./, 'é'))).toBe('chars');
    expect(isPublicKeyHex(SIG)).toBe(false);
  });

  it('takes a rotation signature of 128 hex characters', () => {
    expect(signatureProblem(SIG)).toBeNull();
    expect(signatureProblem(SIG.toUpperCase())).toBeNull();
    expect(signatureProblem(KEY)).toBe('length');
    expect(signatureProblem('')).toBe('required');
    expect(signatureProblem(`${SIG.slice(0, 127)}z`)).toBe('chars');
    expect(hexProblem('abcd', 4)).toBeNull();
  });
});

describe('signed messages', () => {
  it('builds the rotation message as the server does: three lines, the new key in lower case, no newline at the end', () => {
    const m = rotationMessage('sup_123', KEY.toUpperCase());
    expect(m).toBe(`quan-usage-key-rotation/v1\nsup_123\n${KEY}`);
    expect(m.endsWith('\n')).toBe(false);
    expect(m.split('\n')).toEqual(['quan-usage-key-rotation/v1', 'sup_123', KEY]);
    expect(rotationMessage('sup_123', ` ${KEY.slice(0, 10)}\n${KEY.slice(10)}`)).toBe(m);
  });

  it('is the message an independent signer\'s rotation signature verifies over', async () => {
    expect(await verifies(KEY, rotationMessage('sup_123', NEW_KEY), ROTATION_SIG)).toBe(true);
    // The new key as a hub may print it (upper case): the message names it in lower case.
    expect(await verifies(KEY, rotationMessage('sup_123', NEW_KEY.toUpperCase()), ROTATION_SIG)).toBe(true);
    expect(await verifies(KEY, rotationMessage('sup_124', NEW_KEY), ROTATION_SIG)).toBe(false);
    expect(await verifies(KEY, `${rotationMessage('sup_123', NEW_KEY)}\n`, ROTATION_SIG)).toBe(false);
  });

  it('builds the batch message: supplier, Idempotency-Key and the body digest on four lines', () => {
    // SHA-256 of the body '[{"record_id":"r1"}]', as Python's hashlib gives it.
    const sha = 'b15970f9160133bcfba6a247fd9fbf5fc874d6ed1cae1092fed2f2d0951b18f8';
    expect(batchMessage('sup_123', 'k-1', sha)).toBe(`quan-usage-batch/v1\nsup_123\nk-1\n${sha}`);
  });
});

describe('keys', () => {
  const k = (id: string, retired_at: string | null = null): UsageKey => ({
    id, supplier_id: 'sup_1', public_key: KEY, fingerprint: '0123456789abcdef', registered_at: '2026-01-01T00:00:00Z', registered_by: 'admin:admin', retired_at,
  });

  it('finds the live key and lists the retired ones, the last retired first', () => {
    const keys = [k('uk_1', '2026-02-01T00:00:00Z'), k('uk_3'), k('uk_2', '2026-03-01T00:00:00Z')];
    expect(liveKey(keys)?.id).toBe('uk_3');
    expect(retiredKeys(keys).map((x) => x.id)).toEqual(['uk_2', 'uk_1']);
    expect(liveKey([k('uk_1', '2026-02-01T00:00:00Z')])).toBeNull();
    expect(liveKey(undefined)).toBeNull();
    expect(retiredKeys(null)).toEqual([]);
  });

  it('sends the rotation signature only when asked to, both cleaned', () => {
    expect(keyBody({ public_key: ` ${KEY.toUpperCase()} `, rotation_signature: SIG }, false)).toEqual({ public_key: KEY });
    expect(keyBody({ public_key: KEY, rotation_signature: `${SIG.toUpperCase()}\n` }, true)).toEqual({ public_key: KEY, rotation_signature: SIG });
  });

  it('reads who registered a key from the server\'s role:username', () => {
    expect(registrant('admin:admin')).toEqual({ role: 'admin', username: 'admin' });
    expect(registrant('supplier:hub-ops:2')).toEqual({ role: 'supplier', username: 'hub-ops:2' });
    expect(registrant('system')).toEqual({ role: null, username: 'system' });
    expect(registrant(null)).toEqual({ role: null, username: '' });
  });

  it('computes the fingerprint as the server does: SHA-256 of the key bytes, 16 hex characters', async () => {
    // hashlib.sha256(bytes.fromhex(KEY)).hexdigest()[:16]
    expect(await fingerprintOf(KEY)).toBe('21fe31dfa154a261');
    expect(await fingerprintOf(KEY.toUpperCase())).toBe('21fe31dfa154a261');
    expect(await fingerprintOf('abc')).toBeNull();
  });
});
