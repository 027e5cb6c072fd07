/**
 * Searching captured text (stdout, stderr, state files, events, requests that reached another
 * origin) for credentials in every form they can take: each form of {@link encodedForms}, and
 * also inside every base64/base64url run of the text once decoded (the base64 of
 * `Bearer <token>` or `user:password` does not contain the base64 of the token itself).
 *
 * @module
 */
import { encodedForms } from './hostile.ts';

/** One credential found in a text: which one (by index in the list given), in which form. */
export interface Leak {
  readonly credential: number;
  readonly form: string;
  /** A little context around the find, with the credential itself masked. */
  readonly context: string;
}

const BASE64_RUN = /[A-Za-z0-9+/_-]{8,}={0,2}/g;

function context(text: string, at: number, length: number): string {
  const before = text.slice(Math.max(0, at - 40), at);
  const after = text.slice(at + length, at + length + 40);
  return `${before}<credential>${after}`;
}

/**
 * Every leak of `credentials` in `text` (empty credentials are ignored). Forms: raw, json, url,
 * form, base64, base64url, and `decoded-base64` (a credential's raw or JSON form inside a decoded
 * base64 run).
 */
export function findLeaks(text: string, credentials: readonly string[]): Leak[] {
  const leaks: Leak[] = [];
  const decoded: string[] = [];
  for (const m of text.matchAll(BASE64_RUN)) {
    const run = m[0];
    for (const enc of ['base64', 'base64url'] as const) {
      // Try every alignment: a run may start inside a longer base64 text.
      for (let shift = 0; shift < 4 && shift < run.length; shift++) {
        decoded.push(Buffer.from(run.slice(shift), enc).toString('utf8'));
      }
    }
  }
  credentials.forEach((cred, i) => {
    if (cred === '') return;
    for (const [form, value] of Object.entries(encodedForms(cred))) {
      const at = text.indexOf(value);
      if (at >= 0) leaks.push({ credential: i, form, context: context(text, at, value.length) });
    }
    const forms = encodedForms(cred);
    for (const d of decoded) {
      const hit = [forms.raw, forms.json].find((v) => d.includes(v));
      if (hit !== undefined) {
        leaks.push({ credential: i, form: 'decoded-base64', context: context(d, d.indexOf(hit), hit.length) });
        break;
      }
    }
  });
  return leaks;
}
