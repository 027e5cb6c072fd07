/**
 * Scrubbing: removes secret values from text before it leaves the collector (log lines, events, the state
 * file). Every secret value and every exchanged access token is registered with {@link Scrubber.add},
 * which also registers the forms the value takes in text (IR doc, "Run-time safety and
 * incremental state"): raw; JSON-escaped (once, and twice for JSON inside a JSON string);
 * URL-encoded with `%XX` in upper- and lowercase hex; `application/x-www-form-urlencoded` (`+` for
 * a space, WHATWG URL standard §5.2); base64 (RFC 4648 §4) and base64url (§5, with and without
 * padding). Each occurrence of any form is replaced by `[REDACTED]`, over the whole text, before
 * anything could truncate it.
 *
 * @module
 */

/** What replaces each scrubbed secret form (the text operators see in logs; unchanged output). */
export const SCRUBBED = '[REDACTED]';

/** The text forms of `value` that {@link Scrubber} removes. */
export function secretForms(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  const url = encodeURIComponent(value);
  const bytes = Buffer.from(value, 'utf8');
  const base64url = bytes.toString('base64url');
  return [
    value,
    json,
    JSON.stringify(json).slice(1, -1),
    url,
    url.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
    new URLSearchParams({ v: value }).toString().slice(2),
    bytes.toString('base64'),
    base64url,
    `${base64url}${'='.repeat((4 - (base64url.length % 4)) % 4)}`,
  ];
}

/** Replaces each of `forms` (in their order) over the whole text. */
function replaceAll(text: string, forms: readonly string[]): string {
  let out = text;
  for (const v of forms) if (out.includes(v)) out = out.split(v).join(SCRUBBED);
  return out;
}

/**
 * The forms of `forms` that hold no other of them: each form holds at least one of these (itself
 * or a shorter form it contains), so a text that holds none of them holds no form at all. A
 * base64url form without padding is in its padded form, and a value's JSON, URL and base64 forms
 * are often the value itself (a token of letters, digits and `-`), so this is usually 2 or 3 forms
 * where the full list is 3 to 9: fewer scans of every page of events.
 */
function minimalForms(forms: readonly string[]): string[] {
  return forms.filter((f) => !forms.some((g) => g !== f && f.includes(g)));
}

/** {@link replaceAll}, after a check that `text` holds any of `minimal` ({@link minimalForms} of `forms`): the same text out. */
function replaceFound(text: string, forms: readonly string[], minimal: readonly string[]): string {
  return minimal.some((v) => text.includes(v)) ? replaceAll(text, forms) : text;
}

export class Scrubber {
  private readonly values = new Set<string>();
  /** The forms, longest first (so that a value containing another is removed whole); rebuilt on add. */
  private sorted: string[] = [];
  /** The forms without a line feed, longest first; rebuilt on add. */
  private sortedOneLine: string[] = [];
  /** {@link minimalForms} of {@link sorted} and of {@link sortedOneLine}; rebuilt on add. */
  private minimal: string[] = [];
  private minimalOneLine: string[] = [];

  /** Adds a secret value and its forms (see the module doc); empty strings are ignored. */
  add(value: string): void {
    if (value === '') return;
    for (const form of secretForms(value)) if (form !== '') this.values.add(form);
    this.sorted = [...this.values].sort((a, b) => b.length - a.length);
    this.sortedOneLine = this.sorted.filter((v) => !v.includes('\n'));
    this.minimal = minimalForms(this.sorted);
    this.minimalOneLine = minimalForms(this.sortedOneLine);
  }

  /** Replaces every form of every known secret in `text`. */
  scrub(text: string): string {
    return replaceFound(text, this.sorted, this.minimal);
  }

  /**
   * The same as {@link scrub} on each line of `text` (lines of JSON text, which never hold a raw
   * line feed: JSON escapes it as `\\n`), in one pass over the whole text: a form holding a line
   * feed cannot occur in such a line, and no other form or the scrubbed mark spans a line feed, so
   * every replacement stays within its line (the collector's events, one page at a time).
   */
  scrubJsonLines(text: string): string {
    return replaceFound(text, this.sortedOneLine, this.minimalOneLine);
  }

  /** True when `text` holds any form of a known secret. */
  contains(text: string): boolean {
    return this.minimal.some((v) => text.includes(v));
  }
}
