/**
 * Plain-words parser error messages: a chevrotain `IParserErrorMessageProvider` that says what
 * was expected and what was found (`expected a setting type (string, url, ...), found "strng"`).
 *
 * Chevrotain keeps only a message string on its recognition exceptions, so the provider packs
 * the diagnostic's message and its short label into that string as JSON; {@link unpackMessage}
 * reads them back. Chevrotain API:
 * https://chevrotain.io/documentation/11_0_0/interfaces/IParserErrorMessageProvider.html
 *
 * @module
 */
import { transformsPhrase } from './transforms.ts';
import { EOF, tokenLabel, type IParserErrorMessageProvider, type IToken, type TokenType } from 'chevrotain';

/** Better words for one expected token inside one rule (`ruleName:label`). */
const RULE_TOKEN_PHRASES: Readonly<Record<string, string>> = {
  'secretRef:"secret"': 'secret.NAME',
  'settingRef:"setting"': 'setting.NAME',
  'transform:a name': transformsPhrase(true),
};

const DECLARATIONS = 'a declaration (integration, setting, secret, table, stream)';

/** What a block rule accepts before its closing `}`, for "expected ... or "}"" messages. */
const BLOCK_ITEMS: Readonly<Record<string, string>> = {
  integration: 'an integration item (title, vendor, version, description)',
  info: 'title or description',
  table: 'a table entry ("FROM" => "TO") or default',
  stream:
    'a stream item (title, description, dataset, interval, auth, request, paginate, records, split, cursor, rate_limit, retry, max_pages, map, record)',
  authBasic: 'username or password',
  authTokenExchange: 'a token_exchange item (request, token, lifetime, expires_at, renew_before, header)',
  authOAuth2: 'an oauth2 item (token_url, client_id, client_secret, scopes)',
  request: 'a request item (header, query, body)',
  pageTokenPaging: 'a page_token item (token, send)',
  cursorHasMorePaging: 'a cursor_has_more item (cursor, has_more, send)',
  pageNumberPaging: 'a page_number item (send, start, size)',
  offsetPaging: 'an offset item (offset, limit, total)',
  timeWindowPaging: 'a time_window item (step, format)',
  cursor: 'a cursor item (max, start)',
  rateLimit: 'a rate_limit item (retry_after, remaining, reset, requests_per_second)',
  retry: 'a retry item (attempts, backoff)',
  map: 'a map option (namespace, unmapped, original, id, remove, drop when, drop empty, geoip, asn, user_agent) or a rule like event.kind = "event"',
  jsonObject: '","',
  record: 'a record field (PATH TYPE, like meta.create_time string format iso8601)',
};

/** How a found token is named in messages: `"strng"`, `the string "x"`, `end of file`. */
export function describeToken(token: IToken | undefined): string {
  if (token === undefined || token.tokenType === EOF) return 'end of file';
  const name = token.tokenType.name;
  if (name === 'StringLiteral' || name === 'UnterminatedString') {
    const shown = token.image.length > 40 ? `${token.image.slice(0, 37)}...` : token.image;
    return `the string ${shown}`;
  }
  return `"${token.image}"`;
}

/** `a or b or c`, each distinct once, in first-seen order. */
function orList(items: readonly string[]): string {
  const unique = [...new Set(items)];
  if (unique.length <= 1) return unique[0] ?? 'something else';
  return `${unique.slice(0, -1).join(', ')} or ${unique[unique.length - 1] ?? ''}`;
}

/** The label repeats the message's "expected ..." without its parenthesised list of choices. */
function pack(message: string, label: string): string {
  return JSON.stringify({ message, label: label.replace(/ \([^()]*\)/, '') });
}

/** Message and label packed by the provider below; a foreign message is returned as is. */
export function unpackMessage(text: string): { message: string; label: string } {
  try {
    const v = JSON.parse(text) as { message?: unknown; label?: unknown };
    if (typeof v.message === 'string' && typeof v.label === 'string') return { message: v.message, label: v.label };
  } catch {
    // not ours: fall through
  }
  return { message: text, label: 'unexpected here' };
}

function firstTokens(paths: readonly (readonly TokenType[])[]): string[] {
  return paths.flatMap((p) => (p[0] === undefined ? [] : [tokenLabel(p[0])]));
}

export const mapErrorMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, previous, ruleName }) {
    const found = describeToken(actual);
    if (expected === EOF) {
      return pack(`expected ${DECLARATIONS}, found ${found}`, `expected ${DECLARATIONS}`);
    }
    if (tokenLabel(expected) === '"}"' && BLOCK_ITEMS[ruleName] !== undefined) {
      const exp = `${BLOCK_ITEMS[ruleName]} or "}"`;
      return pack(`expected ${exp}, found ${found}`, `expected ${exp}`);
    }
    if (tokenLabel(expected) === '"]"' && ruleName === 'jsonArray') {
      return pack(`expected "," or "]", found ${found}`, 'expected "," or "]"');
    }
    if (tokenLabel(expected) === '")"' && ruleName === 'transform') {
      return pack(`expected "," or ")", found ${found}`, 'expected "," or ")"');
    }
    const exp = RULE_TOKEN_PHRASES[`${ruleName}:${tokenLabel(expected)}`] ?? tokenLabel(expected);
    const after =
      previous !== undefined && previous.tokenType !== EOF && previous.image !== ''
        ? ` after ${describeToken(previous)}`
        : '';
    return pack(`expected ${exp}${after}, found ${found}`, `expected ${exp}`);
  },

  buildNotAllInputParsedMessage({ firstRedundant }) {
    return pack(`expected ${DECLARATIONS}, found ${describeToken(firstRedundant)}`, `expected ${DECLARATIONS}`);
  },

  buildNoViableAltMessage({ expectedPathsPerAlt, actual, customUserDescription }) {
    const exp = customUserDescription ?? orList(expectedPathsPerAlt.flatMap((alt) => firstTokens(alt)));
    return pack(`expected ${exp}, found ${describeToken(actual[0])}`, `expected ${exp}`);
  },

  buildEarlyExitMessage({ expectedIterationPaths, actual, customUserDescription }) {
    const exp = customUserDescription ?? orList(firstTokens(expectedIterationPaths));
    return pack(`expected at least one ${exp}, found ${describeToken(actual[0])}`, `expected ${exp}`);
  },
};
