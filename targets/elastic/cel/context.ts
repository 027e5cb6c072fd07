/**
 * What every CEL concern module (auth, request, pagination, cursor) shares: the stream being
 * compiled, where each setting and secret lives in the input's `state`, and the diagnostics sink.
 *
 * ## State layout (the contract between the YAML `state:` block and the program)
 *
 * | key | lifetime | content |
 * |---|---|---|
 * | `url` | config | `resource.url` (the base URL setting), added by the CEL input |
 * | `<setting>` | config | each setting the program reads, as a string (`{{escape_string x}}`) |
 * | `<secret>` | config | each secret, as a string; listed in `redact.fields` |
 * | `cursor` | persisted | the committed cursor (`{"max": <record text>}` or `{"window_start": <RFC 3339>}`), plus `seq` while a page sequence is in progress (see `program.ts`) |
 * | `auth` | memory | cached token `{"token", "expires"}` (token exchange, OAuth2); redacted |
 * | `failure` | memory | an error event found by the previous evaluation, published by the next one |
 * | `pages` | memory | pages fetched in this periodic run (the `max_pages` cap) |
 * | `retries` | memory | consecutive 429 answers for the current page |
 *
 * Settings or secrets whose name collides with these keys (or with the CEL input's own
 * `events`, `want_more`, `status_code`, `header`, `rate_limit`, `secret`) are stored as
 * `cfg_<name>`.
 *
 * @module
 */
import type { IntegrationIR, SourceIR, SourceSpan, StreamIR, TemplatePart } from '../../../compiler/ir.ts';
import type { DiagnosticCode } from '../../../dsl/codes.ts';
import { diagnostic, type Diagnostic } from '../../../dsl/diagnostics.ts';
import type { TemplateScope } from './template.ts';
import { celString } from './text.ts';

/**
 * The field of the control events (`{"mapc_control": ...}`) the program emits where the Agent needs
 * a non-empty `events` list, and the stream's `drop_event` processor drops (`program.ts`).
 */
export const CONTROL_FIELD = 'mapc_control';

const RESERVED = new Set([
  'url',
  'cursor',
  'auth',
  'run',
  'failure',
  'pages',
  'retries',
  'events',
  'want_more',
  'status_code',
  'header',
  'rate_limit',
  'secret',
]);

/** The `state` key holding setting or secret `name`. */
export function stateKey(name: string): string {
  return RESERVED.has(name) ? `cfg_${name}` : name;
}

export class CelContext {
  readonly diagnostics: Diagnostic[] = [];
  readonly source: SourceIR;
  /** The setting rendered as `resource.url` (the first part of the request URL), if any. */
  readonly urlSetting: string | undefined;

  constructor(
    readonly ir: IntegrationIR,
    readonly stream: StreamIR,
  ) {
    this.source = stream.source;
    const first = stream.source.request.url.parts[0];
    this.urlSetting = first?.kind === 'setting' ? first.name : undefined;
  }

  report(
    code: DiagnosticCode,
    severity: 'error' | 'warning',
    message: string,
    loc: SourceSpan,
    notes: readonly string[] = [],
  ): void {
    this.diagnostics.push(
      diagnostic(code, severity, message, { span: loc, message: 'in the Elastic Agent CEL input' }, { notes }),
    );
  }

  /** CEL string expression for a setting's value (`""` when unset). */
  setting(name: string): string {
    if (name === this.urlSetting) return 'state.url.trim_right("/")';
    return `state[?${celString(stateKey(name))}].orValue("")`;
  }

  /**
   * CEL expression for a setting's typed value in a JSON body (IR `JsonTemplate` `setting`). The
   * `state:` entry of an `int` or `bool` setting is its text (`stream-template.ts` `settingLine`),
   * `""` only when the variable is unset, which the checks rule out for a bare setting (E0173:
   * required or defaulted; the `0`/`false` fallback only keeps the program total). `int` text is
   * read with CEL `int()` (decimal digits, Fleet's `integer` variable); `bool` text is `"true"`
   * case-insensitively, as request conditions read it.
   */
  jsonSetting(name: string): string | undefined {
    const decl = this.ir.settings.find((s) => s.name === name);
    if (!decl) return undefined;
    const text = this.setting(name);
    if (decl.type === 'int') return `(${text}).as(v, v == "" ? 0 : int(v))`;
    if (decl.type === 'bool') return `((${text}).to_lower() == "true")`;
    return text;
  }

  /** CEL string expression for a secret's value. */
  secret(name: string): string {
    return `state[${celString(stateKey(name))}]`;
  }

  /** A template scope with settings, plus secrets when `withSecrets`, plus `extra` placeholders. */
  scope(withSecrets: boolean, extra: Omit<TemplateScope, 'setting' | 'secret' | 'jsonSetting'> = {}): TemplateScope {
    return {
      setting: (n) => (this.ir.settings.some((s) => s.name === n) ? this.setting(n) : undefined),
      jsonSetting: (n) => this.jsonSetting(n),
      secret: (n) => (withSecrets && this.ir.secrets.some((s) => s.name === n) ? this.secret(n) : undefined),
      ...extra,
    };
  }

  /** Reports a placeholder that cannot have a value where it is used (an E0420 error). */
  missing(where: string, loc: SourceSpan): (part: TemplatePart) => void {
    return (part) => {
      const what =
        part.kind === 'window'
          ? `window.${part.edge}`
          : part.kind === 'setting' || part.kind === 'secret'
            ? `${part.kind} ${part.name}`
            : part.kind;
      this.report('E0420', 'error', `placeholder {${what}} has no value in the ${where}`, loc);
    };
  }
}
