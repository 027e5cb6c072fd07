/**
 * Renders the IR's request templates (`Template`, `JsonTemplate`) for one request.
 * Placeholders render as documented in `compiler/ir.ts`: an unset setting as the empty string;
 * `{cursor}`, `{window.*}`, `{now}` and `{token}` from the run's current values.
 *
 * @module
 */
import type { JsonTemplate, RequestConditionIR, Template } from '../compiler/ir.ts';
import { CollectError } from './errors.ts';
import type { SettingValue } from './values.ts';

export interface RenderContext {
  readonly settings: Readonly<Record<string, SettingValue>>;
  /** Only present while rendering auth requests and headers. */
  readonly secrets?: Readonly<Record<string, string>>;
  readonly cursor?: string;
  /** The current time window: its formatted edges, and whether it ends at or before now. */
  readonly window?: { readonly start: string; readonly end: string; readonly complete: boolean };
  readonly token?: string;
  /** `{now}`: the instant the page sequence started (see `requestTime`). */
  readonly now?: string;
}

/** `{now}` for an instant (ms since the epoch): RFC 3339, UTC, whole seconds (`2024-06-01T12:34:56Z`). */
export function requestTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** @throws CollectError E0807 when a placeholder has no value in this context (the checks should have refused it). */
export function renderTemplate(t: Template, ctx: RenderContext): string {
  return t.parts
    .map((p) => {
      switch (p.kind) {
        case 'text':
          return p.text;
        case 'setting': {
          const v = ctx.settings[p.name];
          return v === undefined ? '' : String(v);
        }
        case 'secret': {
          const v = ctx.secrets?.[p.name];
          if (v === undefined) throw new CollectError('E0807', `secret ${p.name} is used outside auth`);
          return v;
        }
        case 'cursor':
          if (ctx.cursor === undefined)
            throw new CollectError('E0807', '{cursor} is used but the stream has no cursor');
          return ctx.cursor;
        case 'window':
          if (!ctx.window) throw new CollectError('E0807', `{window.${p.edge}} is used without time_window pagination`);
          return ctx.window[p.edge];
        case 'token':
          if (ctx.token === undefined) throw new CollectError('E0807', '{token} is used outside a token auth header');
          return ctx.token;
        case 'now':
          if (ctx.now === undefined) throw new CollectError('E0807', '{now} is used outside the data request');
          return ctx.now;
      }
    })
    .join('');
}

/**
 * Whether a request item's `when` holds for this request (IR `RequestConditionIR`): a `bool`
 * setting that is true, the current window being complete, or the negation of either.
 * @throws CollectError E0807 for `window_complete` outside a time window (the checks refuse it, E0166)
 */
export function conditionHolds(c: RequestConditionIR, ctx: RenderContext): boolean {
  switch (c.kind) {
    case 'setting':
      return ctx.settings[c.name] === true;
    case 'window_complete':
      if (!ctx.window) throw new CollectError('E0807', 'window.complete is used without time_window pagination');
      return ctx.window.complete;
    case 'not':
      return !conditionHolds(c.operand, ctx);
  }
}

/**
 * The map's text of a template with each placeholder by name (`{base_url}/v1/namespaces/{namespace}/audit-logs`,
 * `{cursor}`, `{window.start}`, `{token}`, `{secret.name}`): what logs and errors show of a URL,
 * never its rendered value (a `string` setting in a path may be a token in disguise).
 */
export function templateText(t: Template): string {
  return t.parts
    .map((p) => {
      switch (p.kind) {
        case 'text':
          return p.text;
        case 'setting':
          return `{${p.name}}`;
        case 'secret':
          return `{secret.${p.name}}`;
        case 'cursor':
          return '{cursor}';
        case 'window':
          return `{window.${p.edge}}`;
        case 'token':
          return '{token}';
        case 'now':
          return '{now}';
      }
    })
    .join('');
}

/**
 * A JSON value with every string leaf rendered, and each bare setting (`"limit": setting.page_size`)
 * as its typed value: an `int` setting a number, a `bool` one a boolean, others a string
 * ({@link SettingValue}, as `resolveValues` read it).
 * @throws CollectError E0807 when a bare setting has no value (the checks refuse a setting that is
 *   neither required nor has a default, E0173, and a required one that is unset stops the run, E0802)
 */
export function renderJson(j: JsonTemplate, ctx: RenderContext): unknown {
  switch (j.kind) {
    case 'object':
      return Object.fromEntries(j.entries.map((e) => [e.key, renderJson(e.value, ctx)]));
    case 'array':
      return j.items.map((i) => renderJson(i, ctx));
    case 'string':
      return renderTemplate(j.template, ctx);
    case 'number':
      return j.value;
    case 'bool':
      return j.value;
    case 'null':
      return null;
    case 'setting': {
      const v = ctx.settings[j.name];
      if (v === undefined) throw new CollectError('E0807', `setting ${j.name} in the JSON body has no value`);
      return v;
    }
  }
}
