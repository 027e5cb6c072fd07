import type { AstNode, SettingRef, SettingTypeName, TemplateString } from '../../../dsl/ast.ts';
import { closest } from '../../../dsl/suggest.ts';
import type { CheckContext } from '../context.ts';
import type { CheckRule } from '../rule.ts';

function didYouMean(word: string, candidates: Iterable<string>, render: (s: string) => string): string[] {
  const best = closest(word, candidates, 1)[0];
  return best === undefined ? [] : [`help: did you mean ${render(best)}?`];
}

/** `setting.X` names a declared setting (E0104). */
export const KnownSettingsRule: CheckRule = (ctx) => ({
  SettingRef(ref) {
    const name = ref.name.value;
    if (ctx.symbols.settings.has(name)) return;
    const notes = ctx.symbols.secrets.has(name)
      ? [`note: ${name} is a secret: write secret.${name}`]
      : didYouMean(name, ctx.symbols.settings.keys(), (s) => `setting.${s}`);
    ctx.error('E0104', `unknown setting ${name}`, ref.name.loc, 'no setting of this name', { notes });
  },
});

/** `secret.X` names a declared secret (E0105). */
export const KnownSecretsRule: CheckRule = (ctx) => ({
  SecretRef(ref) {
    const name = ref.name.value;
    if (ctx.symbols.secrets.has(name)) return;
    const notes = ctx.symbols.settings.has(name)
      ? [`note: ${name} is a setting, not a secret`]
      : didYouMean(name, ctx.symbols.secrets.keys(), (s) => `secret.${s}`);
    ctx.error('E0105', `unknown secret ${name}`, ref.name.loc, 'no secret of this name', { notes });
  },
});

/** `secret.X` appears only inside `auth` (E0106); a data request body may not carry one. */
export const SecretsOnlyInAuthRule: CheckRule = (ctx) => ({
  SecretRef(ref, ancestors) {
    if (ancestors.some(isAuthNode)) return;
    ctx.error('E0106', `secret ${ref.name.value} used outside auth`, ref.loc, 'secrets may only appear inside `auth`', {
      notes: [
        'note: request bodies, headers and queries end up in generated configs and logs',
        'help: move the credential into an `auth` block (e.g. `auth token_exchange { ... }`)',
      ],
    });
  },
});

function isAuthNode(node: AstNode): boolean {
  return node.kind.startsWith('Auth');
}

function expectType(
  ctx: CheckContext,
  ref: SettingRef | undefined,
  types: readonly SettingTypeName[],
  use: string,
): void {
  if (!ref) return;
  const decl = ctx.symbols.settings.get(ref.name.value);
  // Unknown settings are E0104's business.
  if (!decl || types.includes(decl.type.value)) return;
  ctx.error(
    'E0110',
    `setting ${ref.name.value} is a ${decl.type.value}, but ${use} needs a ${types.join(' or ')}`,
    ref.loc,
    `expected a ${types.join(' or ')} setting`,
    {
      secondary: [{ span: decl.type.loc, message: `declared ${decl.type.value} here` }],
    },
  );
}

/** Settings used where a type is implied have that type (E0110). */
export const SettingTypesRule: CheckRule = (ctx) => ({
  Interval(item) {
    if (item.value.kind === 'SettingRef') expectType(ctx, item.value, ['duration'], '`interval`');
  },
  Cursor(cursor) {
    if (cursor.start?.kind === 'SettingRef') expectType(ctx, cursor.start, ['timestamp', 'duration'], '`cursor start`');
  },
  RequestParam(param) {
    for (let w = param.when; w !== undefined; w = w.kind === 'RequestNot' ? w.operand : undefined) {
      if (w.kind === 'SettingRef') expectType(ctx, w, ['bool'], 'a request `when` condition');
    }
  },
  Original(option) {
    expectType(ctx, option.when, ['bool'], '`original when`');
  },
  SettingCondition(condition) {
    expectType(ctx, condition.setting, ['bool'], 'a `when` condition');
  },
  AuthBasic(auth) {
    if (auth.username.kind === 'SettingRef') expectType(ctx, auth.username, ['string'], 'a basic auth username');
  },
  AuthOAuth2(auth) {
    if (auth.clientId.kind === 'SettingRef') expectType(ctx, auth.clientId, ['string'], 'an OAuth2 client id');
  },
});

/** `lookup(T)` names a declared table (E0109). */
export const KnownTablesRule: CheckRule = (ctx) => ({
  LookupTransform(transform) {
    const name = transform.table.value;
    if (ctx.symbols.tables.has(name)) return;
    ctx.error('E0109', `unknown lookup table ${name}`, transform.table.loc, 'no table of this name', {
      notes: didYouMean(name, ctx.symbols.tables.keys(), (s) => s),
    });
  },
});

/**
 * Settings the source cannot run without have a value (E0113): the poll interval, and the
 * setting a request URL starts with, need a default or `required`. A request URL starts with a
 * `url` setting or with `http://`/`https://` (E0119).
 */
export const SettingValuesRule: CheckRule = (ctx) => {
  // One report per setting, however many URLs start with it.
  const reported = new Set<string>();
  return {
    Interval(item) {
      if (item.value.kind === 'SettingRef') needsValue(ctx, item.value, 'the poll interval');
    },
    Request(request) {
      absoluteUrl(ctx, request.url, 'request URL', reported);
    },
    AuthOAuth2(auth) {
      absoluteUrl(ctx, auth.tokenUrl, 'token_url', reported);
    },
  };
};

function absoluteUrl(ctx: CheckContext, url: TemplateString, what: string, reported: Set<string>): void {
  const first = url.parts[0];
  if (first?.kind === 'Placeholder') {
    const decl = ctx.symbols.settings.get(first.name);
    if (!decl) return;
    if (decl.type.value !== 'url') {
      ctx.error(
        'E0119',
        `${what} starts with setting ${first.name}, which is a ${decl.type.value}`,
        first.loc,
        'expected a url setting',
        {
          secondary: [{ span: decl.type.loc, message: `declared ${decl.type.value} here` }],
        },
      );
    } else if (!decl.default && !decl.required && !reported.has(first.name)) {
      reported.add(first.name);
      ctx.error(
        'E0113',
        `setting ${first.name} has no default and is not required`,
        decl.name.loc,
        `the ${what} has no base without it`,
        {
          secondary: [{ span: first.loc, message: 'the URL starts here' }],
          notes: [`help: add \`required\` or a default: \`setting ${first.name}: url = "https://..."\``],
        },
      );
    }
  } else if (!/^https?:\/\//.test(first?.text ?? '')) {
    ctx.error('E0119', `${what} is not absolute`, url.loc, 'expected http(s):// or a url setting such as {base_url}', {
      notes: ['help: e.g. `request GET "{base_url}/v1/logs"` with `setting base_url: url = "https://api.example.com"`'],
    });
  }
}

function needsValue(ctx: CheckContext, ref: SettingRef, use: string): void {
  const decl = ctx.symbols.settings.get(ref.name.value);
  if (!decl || decl.default || decl.required) return;
  ctx.error(
    'E0113',
    `setting ${ref.name.value} has no default and is not required`,
    decl.name.loc,
    `${use} is unknown without it`,
    {
      secondary: [{ span: ref.loc, message: `used as ${use} here` }],
      notes: [`help: add \`required\` or a default to setting ${ref.name.value}`],
    },
  );
}
