/**
 * Removes secret values from text before it is logged. Every secret value, every exchanged
 * access token and the encodings a value may take on the wire (URL-encoded, the base64 of a
 * Basic `user:password` pair) are replaced by `[REDACTED]`.
 *
 * @module
 */

export const REDACTED = '[REDACTED]';

export class Redactor {
  private readonly values = new Set<string>();

  /** Adds a secret value (and its URL-encoded form); empty strings are ignored. */
  add(value: string): void {
    if (value === '') return;
    this.values.add(value);
    this.values.add(encodeURIComponent(value));
    this.values.add(new URLSearchParams({ v: value }).toString().slice(2));
    this.values.add(JSON.stringify(value).slice(1, -1));
  }

  /** Replaces every known secret in `text`, longest first so that a value containing another is removed whole. */
  redact(text: string): string {
    let out = text;
    for (const v of [...this.values].sort((a, b) => b.length - a.length)) {
      if (v !== '' && out.includes(v)) out = out.split(v).join(REDACTED);
    }
    return out;
  }
}
