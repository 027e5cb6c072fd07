/**
 * The `.map` vocabulary: every token type of the language, in lexer order, and the lexer.
 *
 * Lexical rules: `docs/language.md` ("Lexical structure"). Notes on the choices made here:
 * - Keywords are declared with `longer_alt: Identifier` and listed before `Identifier`, longest
 *   first, so `token_exchange` is not read as `token` + `_exchange` and `internal` stays an
 *   identifier. Every keyword and `Identifier` belong to the {@link Name} category, which the
 *   parser consumes wherever a name or a path segment is expected (vendor fields called `date`,
 *   `token` or `max`; settings called `interval` or `namespace`).
 * - `Duration` (digits immediately followed by letters) is listed before `NumberLiteral` and is
 *   deliberately broad (`1w`, `4hours`, `1.5h` are Duration tokens too): the visitor reports a
 *   bad unit as `E0008` with the whole word underlined, instead of a confusing number followed by
 *   an identifier.
 * - Strings may not span lines. `UnterminatedString` (a `"` with no closing quote on its line)
 *   is in the `StringLiteral` category so the parser goes on as if it were closed; `parseMap`
 *   reports it as `E0002`.
 * - Escapes are not validated here (any `\x` is lexed): `dsl/strings.ts` decodes them and
 *   reports bad ones as `E0003` with the escape's exact span.
 *
 * Chevrotain API: https://chevrotain.io/docs/tutorial/step1_lexing.html (chevrotain 11.2).
 *
 * @module
 */
import { createToken, Lexer, type TokenType } from 'chevrotain';
import { SKIP_GRAMMAR_VALIDATIONS } from './bundled.ts';

/** Category of everything usable as a name or path segment: identifiers and all keywords. */
export const Name = createToken({ name: 'Name', pattern: Lexer.NA, label: 'a name' });

/**
 * Names that may start a record condition's path: every name but the words that start another
 * kind of condition (`exists`, `not`, `setting`), so that the parser tells a condition's kind from
 * its first token (a field called `exists` is written quoted there: `"exists" == 1`).
 */
export const ConditionName = createToken({ name: 'ConditionName', pattern: Lexer.NA, label: 'a field path' });

/** The keywords that start a condition of their own (not in {@link ConditionName}). */
const CONDITION_STARTS: ReadonlySet<string> = new Set(['exists', 'not', 'setting']);

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\f\v]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: 'Comment', pattern: /#[^\r\n]*/, group: Lexer.SKIPPED });

export const Identifier = createToken({
  name: 'Identifier',
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  categories: [Name, ConditionName],
  label: 'a name',
});

/** The source spellings of every keyword, as `docs/language.md` lists them (plus `expires_at`, used by the grammar). */
export const KEYWORD_WORDS = [
  'integration',
  'title',
  'vendor',
  'version',
  'description',
  'changelog',
  'ecs',
  'setting',
  'secret',
  'required',
  'table',
  'default',
  'stream',
  // shared stream items (`defaults { auth ... request ... }`)
  'defaults',
  'dataset',
  'interval',
  'auth',
  'header',
  'bearer',
  'basic',
  'token_exchange',
  'oauth2',
  'username',
  'password',
  'request',
  'body',
  'token',
  'lifetime',
  'expires_at',
  'renew_before',
  'token_url',
  'client_id',
  'client_secret',
  'scopes',
  'GET',
  'POST',
  'query',
  'optional',
  'paginate',
  'page_token',
  'cursor_has_more',
  'page_number',
  'offset',
  'link_header',
  'time_window',
  'send',
  // `send body PATH replace`: the pages after the first send only the page token
  'replace',
  'has_more',
  'start',
  'size',
  'limit',
  'total',
  'step',
  'format',
  'records',
  'split',
  'cursor',
  'max',
  // `agentless { organization "..." division "..." team "..." }` in the integration block
  'agentless',
  'organization',
  'division',
  'team',
  // `cursor { next_page }`: the page position the last complete sequence ended at is the state
  'next_page',
  'rate_limit',
  'retry_after',
  'remaining',
  'reset',
  'requests_per_second',
  'retry',
  'attempts',
  'backoff',
  'to',
  'max_pages',
  'map',
  'namespace',
  'unmapped',
  'keep',
  'drop',
  'original',
  'when',
  'id',
  'remove',
  'exists',
  'not',
  'true',
  'false',
  'null',
  'string',
  'url',
  'duration',
  'timestamp',
  'int',
  'bool',
  'iso8601',
  'unix_ms',
  'unix',
  // record schemas (`record { path type ... }`)
  'record',
  'nullable',
  'of',
  // record conditions (`when a > 1 and b in ["x", "y"]`, `drop when ...`)
  'and',
  'or',
  'in',
  'starts_with',
  'ends_with',
  'contains',
  // document ids (`id raw uuid`)
  'raw',
  // a rule's failure choice (`source.ip = addr | ip on_error ignore`)
  'on_error',
  // enrichment of an ECS ip field (`geoip source.ip`, `asn source.ip`)
  'geoip',
  'asn',
  // user-agent parsing into `user_agent.*` (`user_agent user_agent.original`)
  'user_agent',
] as const;

export type KeywordWord = (typeof KEYWORD_WORDS)[number];

function keyword(word: KeywordWord): TokenType {
  return createToken({
    // `Kw_` keeps keyword token names apart from rule names in the generated CST types.
    name: `Kw_${word}`,
    pattern: new RegExp(word),
    longer_alt: Identifier,
    categories: CONDITION_STARTS.has(word) ? [Name] : [Name, ConditionName],
    label: `"${word}"`,
    // Declared, so that building the lexer need not analyse each keyword's pattern for line breaks.
    line_breaks: false,
  });
}

/** Keyword token types by their spelling. */
export const Keyword: { readonly [W in KeywordWord]: TokenType } = Object.fromEntries(
  KEYWORD_WORDS.map((w) => [w, keyword(w)]),
) as { [W in KeywordWord]: TokenType };

export const StringLiteral = createToken({
  name: 'StringLiteral',
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*"/,
  label: 'a string',
});

/** A string whose closing quote is missing on its line; parsed as a string, reported as `E0002`. */
export const UnterminatedString = createToken({
  name: 'UnterminatedString',
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*\\?/,
  categories: [StringLiteral],
  label: 'a string',
});

/** Digits directly followed by a word: `30s`, `500ms` (and bad ones like `1w`, checked later). */
export const Duration = createToken({
  name: 'Duration',
  pattern: /[0-9]+(?:\.[0-9]+)?[A-Za-z_][A-Za-z0-9_]*/,
  label: 'a duration (like 30s, 5m, 4h)',
});

export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  pattern: /-?[0-9]+(?:\.[0-9]+)?/,
  label: 'a number',
});

/** `@timestamp`: a destination path segment starting with `@`. */
export const AtName = createToken({
  name: 'AtName',
  pattern: /@[A-Za-z_][A-Za-z0-9_]*/,
  label: 'a name like @timestamp',
});

export const Arrow = createToken({ name: 'Arrow', pattern: /=>/, label: '"=>"' });
export const EqEq = createToken({ name: 'EqEq', pattern: /==/, label: '"=="' });
export const NotEq = createToken({ name: 'NotEq', pattern: /!=/, label: '"!="' });
export const LessEq = createToken({ name: 'LessEq', pattern: /<=/, label: '"<="' });
export const Less = createToken({ name: 'Less', pattern: /</, label: '"<"' });
export const GreaterEq = createToken({ name: 'GreaterEq', pattern: />=/, label: '">="' });
export const Greater = createToken({ name: 'Greater', pattern: />/, label: '">"' });
export const PlusEq = createToken({ name: 'PlusEq', pattern: /\+=/, label: '"+="' });
export const Equals = createToken({ name: 'Equals', pattern: /=/, label: '"="' });
export const LBrace = createToken({ name: 'LBrace', pattern: /\{/, label: '"{"' });
export const RBrace = createToken({ name: 'RBrace', pattern: /\}/, label: '"}"' });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/, label: '"["' });
export const RBracket = createToken({ name: 'RBracket', pattern: /\]/, label: '"]"' });
export const LParen = createToken({ name: 'LParen', pattern: /\(/, label: '"("' });
export const RParen = createToken({ name: 'RParen', pattern: /\)/, label: '")"' });
export const Colon = createToken({ name: 'Colon', pattern: /:/, label: '":"' });
export const Comma = createToken({ name: 'Comma', pattern: /,/, label: '","' });
export const Dot = createToken({ name: 'Dot', pattern: /\./, label: '"."' });
export const Pipe = createToken({ name: 'Pipe', pattern: /\|/, label: '"|"' });
export const Dollar = createToken({ name: 'Dollar', pattern: /\$/, label: '"$"' });

/** Keywords longest first: with first-match lexing a prefix keyword must not shadow a longer one. */
const keywordsLongestFirst: TokenType[] = [...KEYWORD_WORDS]
  .sort((a, b) => b.length - a.length || a.localeCompare(b))
  .map((w) => Keyword[w]);

/** Every token type in lexer order (first match wins). */
export const allTokens: readonly TokenType[] = [
  WhiteSpace,
  Comment,
  StringLiteral,
  UnterminatedString,
  Duration,
  NumberLiteral,
  AtName,
  Arrow,
  EqEq,
  NotEq,
  LessEq,
  Less,
  GreaterEq,
  Greater,
  PlusEq,
  Equals,
  LBrace,
  RBrace,
  LBracket,
  RBracket,
  LParen,
  RParen,
  Colon,
  Comma,
  Dot,
  Pipe,
  Dollar,
  ...keywordsLongestFirst,
  Identifier,
  Name,
  ConditionName,
];

/** The `.map` lexer (full position tracking: every token has offset, line and column). */
export const mapLexer = new Lexer([...allTokens], {
  positionTracking: 'full',
  ensureOptimizations: false,
  skipValidations: SKIP_GRAMMAR_VALIDATIONS,
});
