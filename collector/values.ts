/**
 * Settings and secrets for one run. Secrets come only from environment variables
 * (`SecretIR.envVar`); settings from `--set name=value`, else their environment variable
 * (`SettingIR.envVar`), else their default; an empty value counts as unset. Setting text is read
 * by `parseSettingText` (`compiler/interpret/settings.ts`), the rule `mapc preview --set` uses
 * too. Every secret value is registered with the {@link Scrubber} before anything can log it.
 *
 * @module
 */
import { parseSettingText, type SettingValue } from '../compiler/interpret/index.ts';
import type { AuthIR, IntegrationIR, JsonTemplate, RequestIR, StreamIR, Template } from '../compiler/ir.ts';
import { oauth2ClientSecretName } from '../compiler/ir.ts';
import { CollectError } from './errors.ts';
import type { Scrubber } from './scrub.ts';

export type { SettingValue };

export interface RunValues {
  /** Setting values by name; unset settings without default are absent. */
  readonly settings: Readonly<Record<string, SettingValue>>;
  /** Secret values by name: only the secrets the selected streams use. */
  readonly secrets: Readonly<Record<string, string>>;
}

/** True when `text` is a URL with a user name or password (RFC 3986 §3.2.1 userinfo). */
function hasUserinfo(text: string): boolean {
  try {
    const u = new URL(text);
    return u.username !== '' || u.password !== '';
  } catch {
    return false;
  }
}

function templateSecrets(t: Template, out: Set<string>): void {
  for (const p of t.parts) if (p.kind === 'secret') out.add(p.name);
}

function jsonSecrets(j: JsonTemplate, out: Set<string>): void {
  if (j.kind === 'string') templateSecrets(j.template, out);
  else if (j.kind === 'object') for (const e of j.entries) jsonSecrets(e.value, out);
  else if (j.kind === 'array') for (const i of j.items) jsonSecrets(i, out);
}

function requestSecrets(r: RequestIR, out: Set<string>): void {
  templateSecrets(r.url, out);
  for (const h of [...r.headers, ...r.query]) templateSecrets(h.value, out);
  if (r.body) jsonSecrets(r.body, out);
}

/** The secret names a stream needs: its auth's, and any a request template references. */
export function streamSecrets(stream: StreamIR): string[] {
  const out = new Set<string>();
  const auth: AuthIR = stream.source.auth;
  switch (auth.kind) {
    case 'header':
    case 'bearer':
      out.add(auth.secret);
      break;
    case 'basic':
      if (auth.username.kind === 'secret') out.add(auth.username.name);
      out.add(auth.password);
      break;
    case 'token_exchange':
      requestSecrets(auth.request, out);
      templateSecrets(auth.header.value, out);
      break;
    case 'oauth2_client_credentials':
      if (auth.clientId.kind === 'secret') out.add(auth.clientId.name);
      out.add(oauth2ClientSecretName(auth));
      templateSecrets(auth.tokenUrl, out);
      break;
    case 'none':
      break;
  }
  requestSecrets(stream.source.request, out);
  return [...out];
}

/**
 * Resolves the run's settings and secrets.
 * @param sets `--set` values by setting name
 * @throws CollectError E0806 for an unknown `--set` name or a value of the wrong type;
 *   E0802 for a required setting or a needed secret that is unset or empty, or a `url` setting
 *   with user information (naming the setting or variable, never a value)
 */
export function resolveValues(
  ir: IntegrationIR,
  streams: readonly StreamIR[],
  env: Readonly<Record<string, string | undefined>>,
  sets: Readonly<Record<string, string>>,
  scrubber: Scrubber,
): RunValues {
  const secrets: Record<string, string> = {};
  const needed = new Set(streams.flatMap(streamSecrets));
  const missing: string[] = [];
  for (const secret of ir.secrets) {
    const value = env[secret.envVar];
    if (value !== undefined && value !== '') {
      scrubber.add(value);
      if (needed.has(secret.name)) secrets[secret.name] = value;
    } else if (needed.has(secret.name)) {
      missing.push(`secret ${secret.name} (environment variable ${secret.envVar})`);
    }
  }
  for (const name of needed) {
    if (!ir.secrets.some((s) => s.name === name))
      throw new CollectError('E0807', `the map uses secret ${name}, which it does not declare`);
  }

  for (const name of Object.keys(sets)) {
    if (!ir.settings.some((s) => s.name === name)) {
      const known = ir.settings.map((s) => s.name).join(', ');
      throw new CollectError('E0806', `--set ${name}: the map has no setting ${name} (settings: ${known})`);
    }
  }
  const settings: Record<string, SettingValue> = {};
  for (const setting of ir.settings) {
    const fromSet = sets[setting.name];
    const fromEnv = env[setting.envVar];
    // An empty value means unset, from either source (the IR renders an unset setting as "").
    const text =
      fromSet !== undefined && fromSet !== '' ? fromSet : fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined;
    if (text === undefined) {
      if (setting.default !== undefined) settings[setting.name] = setting.default;
      else if (setting.required)
        missing.push(`setting ${setting.name} (--set ${setting.name}=... or environment variable ${setting.envVar})`);
      continue;
    }
    if (setting.type === 'url' && hasUserinfo(text)) {
      // Named, never quoted: the value holds a credential.
      const origin = fromSet !== undefined ? `--set ${setting.name}` : `environment variable ${setting.envVar}`;
      throw new CollectError(
        'E0802',
        `${origin}: setting ${setting.name} carries user information (user:password@); put credentials in the map's auth`,
      );
    }
    const parsed = parseSettingText(setting.type, text);
    if (typeof parsed === 'object') {
      const origin = fromSet !== undefined ? `--set ${setting.name}` : `environment variable ${setting.envVar}`;
      throw new CollectError('E0806', `${origin}: setting ${setting.name} must be ${parsed.expected}`);
    }
    settings[setting.name] = parsed;
  }
  if (missing.length > 0) {
    throw new CollectError('E0802', `missing ${missing.join('; ')}`, { missing: missing.length });
  }
  return { settings, secrets };
}
