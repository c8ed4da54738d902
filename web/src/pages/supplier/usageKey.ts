// 用量签名密钥: a compute supplier's Ed25519 keys for signing its usage batches (GET/POST
// /suppliers/{id}/usage-keys). Checked in the browser as quan_domain::usage_signature checks them
// on the server — a public key is 64 hexadecimal characters, a signature 128 — and the exact bytes a
// signature covers, built as the server builds them (key_rotation_message, usage_batch_message), so
// the page can show a supplier what to sign. The server's answer stays the judge (a 64-hex string
// that is no Ed25519 point is refused there, as invalid_public_key); its field errors go next to the
// field.
import type { components } from '../../api/schema';

export type UsageKey = components['schemas']['UsageKey'];
export type UsageKeyInput = components['schemas']['UsageKeyInput'];

/** The form's fields, as the API names them (server field errors are placed by these). */
export const KEY_FIELDS = ['public_key', 'rotation_signature'] as const;

/** An Ed25519 public key: 32 bytes, 64 hexadecimal characters. */
export const PUBLIC_KEY_HEX = 64;
/** An Ed25519 signature: 64 bytes, 128 hexadecimal characters. */
export const SIGNATURE_HEX = 128;

/** The domain-separation prefixes of the signed messages (quan_domain::usage_signature). */
export const ROTATION_PREFIX = 'quan-usage-key-rotation/v1';
export const BATCH_PREFIX = 'quan-usage-batch/v1';

/** The request headers a signed batch carries. */
export const SIGNATURE_HEADER = 'Quan-Signature';
export const KEY_ID_HEADER = 'Quan-Key-Id';

/**
 * Hex as typed or pasted, as it is sent: blanks removed (a key pasted across lines), lower case
 * (the server stores keys in lower case and the rotation message names the key so).
 */
export function cleanHex(s: string | null | undefined): string {
  return (s ?? '').replace(/\s+/g, '').toLowerCase();
}

/** Why a hex field is refused: empty, a character that is not hex, or the wrong length. */
export type HexProblem = 'required' | 'chars' | 'length';

export function hexProblem(s: string | null | undefined, length: number): HexProblem | null {
  const h = cleanHex(s);
  if (!h) return 'required';
  if (!/^[0-9a-f]+$/.test(h)) return 'chars';
  if (h.length !== length) return 'length';
  return null;
}

/** Why a public key is refused in the browser, or null for 64 hexadecimal characters. */
export function publicKeyProblem(s: string | null | undefined): HexProblem | null {
  return hexProblem(s, PUBLIC_KEY_HEX);
}

/** Why a rotation signature is refused in the browser, or null for 128 hexadecimal characters. */
export function signatureProblem(s: string | null | undefined): HexProblem | null {
  return hexProblem(s, SIGNATURE_HEX);
}

export function isPublicKeyHex(s: string | null | undefined): boolean {
  return publicKeyProblem(s) === null;
}

/**
 * The text the live key signs to hand over to a new key: three lines joined by "\n", no newline
 * at the end; the new key in lower-case hex (quan_domain::key_rotation_message).
 */
export function rotationMessage(supplierId: string, newPublicKey: string): string {
  return `${ROTATION_PREFIX}\n${supplierId}\n${cleanHex(newPublicKey)}`;
}

/**
 * The text a usage batch's signature covers: four lines joined by "\n", no newline at the end
 * (quan_domain::usage_batch_message). `bodySha256` is the lower-case hex SHA-256 of the body's
 * bytes exactly as sent.
 */
export function batchMessage(supplierId: string, idempotencyKey: string, bodySha256: string): string {
  return `${BATCH_PREFIX}\n${supplierId}\n${idempotencyKey}\n${bodySha256}`;
}

/** The supplier's live key (at most one), or null when it does not sign. */
export function liveKey(keys: readonly UsageKey[] | null | undefined): UsageKey | null {
  return keys?.find((k) => !k.retired_at) ?? null;
}

/** The keys a rotation retired, the most recently retired first. */
export function retiredKeys(keys: readonly UsageKey[] | null | undefined): UsageKey[] {
  return (keys ?? []).filter((k) => !!k.retired_at).sort((a, b) => String(b.retired_at).localeCompare(String(a.retired_at)));
}

/**
 * The request body. `withSignature`: a supplier rotating its live key sends the rotation
 * signature; a first key, or an administrator's rotation, sends none.
 */
export function keyBody(v: { public_key: string; rotation_signature?: string | null }, withSignature: boolean): UsageKeyInput {
  const body: UsageKeyInput = { public_key: cleanHex(v.public_key) };
  if (withSignature) body.rotation_signature = cleanHex(v.rotation_signature);
  return body;
}

/** Who registered a key: the server records `role:username` (Actor::label). */
export function registrant(label: string | null | undefined): { role: string | null; username: string } {
  const s = label ?? '';
  const i = s.indexOf(':');
  return i > 0 ? { role: s.slice(0, i), username: s.slice(i + 1) } : { role: null, username: s };
}

/** The bytes of a hex string (already checked). */
export function hexBytes(hex: string): Uint8Array<ArrayBuffer> {
  const h = cleanHex(hex);
  const out = new Uint8Array(new ArrayBuffer(h.length / 2));
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * A key's fingerprint as the server computes it: SHA-256 of the key's 32 bytes, the first 16 hex
 * characters. Null where the browser offers no digest (Web Crypto needs a secure context: https or
 * localhost) or the key is not 64 hex characters.
 */
export async function fingerprintOf(publicKey: string): Promise<string | null> {
  const subtle = (globalThis as { crypto?: Crypto }).crypto?.subtle;
  if (!subtle || !isPublicKeyHex(publicKey)) return null;
  try {
    const digest = new Uint8Array(await subtle.digest('SHA-256', hexBytes(publicKey)));
    return Array.from(digest.slice(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
  } catch {
    return null;
  }
}
