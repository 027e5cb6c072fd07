/**
 * The TextMate grammar (`editor/mapc.tmLanguage.json`) run by the real engine VS Code uses
 * (vscode-textmate 9.3.2 with the Oniguruma WASM build of vscode-oniguruma 2.0.1) on the bundled
 * maps: representative tokens get the scopes a theme colours. Also: the committed JSON is what
 * `editor/grammar.ts` builds, and its keyword rules cover exactly the keywords of `dsl/tokens.ts`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';
import { KEYWORD_WORDS } from '../../dsl/tokens.ts';
import { TRANSFORM_NAMES } from '../../dsl/transforms.ts';
import { buildGrammar, grammarText, keywordScope, SCOPE_NAME } from '../../editor/grammar.ts';

const GRAMMAR_FILE = new URL('../../editor/mapc.tmLanguage.json', import.meta.url);

async function loadGrammar(): Promise<textmate.IGrammar> {
  const wasm = readFileSync(createRequire(import.meta.url).resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) =>
      scopeName === SCOPE_NAME
        ? textmate.parseRawGrammar(readFileSync(GRAMMAR_FILE, 'utf8'), GRAMMAR_FILE.pathname)
        : null,
  });
  const grammar = await registry.loadGrammar(SCOPE_NAME);
  if (!grammar) throw new Error('grammar not loaded');
  return grammar;
}

interface Token {
  readonly text: string;
  readonly scopes: readonly string[];
}

/** Every line of `text` as tokens, the rule stack carried from line to line as an editor does. */
function tokenize(grammar: textmate.IGrammar, text: string): Token[][] {
  let stack = textmate.INITIAL;
  return text.split('\n').map((line) => {
    const r = grammar.tokenizeLine(line, stack);
    stack = r.ruleStack;
    return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}

const grammar = await loadGrammar();
const maps = Object.fromEntries(
  ['endor_labs', 'entro', 'enpass', 'bitwarden'].map((m) => [
    m,
    tokenize(grammar, readFileSync(`maps/${m}.map`, 'utf8')),
  ]),
);

/**
 * The innermost scope of the `nth` token whose text is `text` on the first line of map `map`
 * that contains `line` (a substring).
 */
function scopeOf(map: string, line: string, text: string, nth = 0): string {
  const source = readFileSync(`maps/${map}.map`, 'utf8').split('\n');
  const index = source.findIndex((l) => l.includes(line));
  expect(index, `a line with ${line}`).toBeGreaterThanOrEqual(0);
  const tokens = maps[map]![index]!.filter((t) => t.text === text);
  const token = tokens[nth];
  expect(token, `token ${JSON.stringify(text)} on ${JSON.stringify(line)}`).toBeDefined();
  return token!.scopes[token!.scopes.length - 1]!;
}

describe('editor/mapc.tmLanguage.json', () => {
  it('is what editor/grammar.ts builds (run `npx tsx editor/gen-grammar.ts`)', () => {
    expect(readFileSync(GRAMMAR_FILE, 'utf8')).toBe(grammarText());
  });

  it('has keyword rules for exactly the keywords of dsl/tokens.ts', () => {
    const rules = (buildGrammar()['repository'] as { keyword: { patterns: { match: string; name: string }[] } }).keyword
      .patterns;
    const words = rules.flatMap((r) => /^\\b\(\?:(.*)\)\\b$/.exec(r.match)![1]!.split('|'));
    expect([...words].sort()).toEqual([...KEYWORD_WORDS].sort());
    for (const r of rules)
      for (const w of /^\\b\(\?:(.*)\)\\b$/.exec(r.match)![1]!.split('|')) {
        expect(keywordScope(w as (typeof KEYWORD_WORDS)[number])).toBe(r.name);
      }
  });

  it('gives every keyword its scope when it stands alone', () => {
    for (const word of KEYWORD_WORDS) {
      const [tokens] = tokenize(grammar, `${word} `);
      expect(tokens![0], word).toEqual({ text: word, scopes: [SCOPE_NAME, keywordScope(word)] });
    }
  });

  it('scopes every transform of the registry after "|"', () => {
    for (const name of TRANSFORM_NAMES) {
      const [tokens] = tokenize(grammar, `a = b | ${name}`);
      expect(tokens!.find((t) => t.text === name)?.scopes.at(-1), name).toBe('support.function.transform.mapc');
    }
  });
});

describe('scopes on the bundled maps', () => {
  it('comments, whole-line and trailing', () => {
    expect(scopeOf('endor_labs', '# Endor Labs audit logs.', ' Endor Labs audit logs.')).toBe(
      'comment.line.number-sign.mapc',
    );
    expect(scopeOf('enpass', 'auth bearer', ' assumed')).toBe('comment.line.number-sign.mapc');
    expect(scopeOf('enpass', 'auth bearer', '#')).toBe('punctuation.definition.comment.mapc');
  });

  it('strings, their escapes-free text and {placeholders}', () => {
    expect(scopeOf('endor_labs', 'title       "Endor Labs"', 'Endor Labs')).toBe('string.quoted.double.mapc');
    expect(scopeOf('endor_labs', 'request GET', 'base_url')).toBe('variable.other.placeholder.mapc');
    expect(scopeOf('endor_labs', 'request GET', '{')).toBe('punctuation.definition.placeholder.begin.mapc');
    expect(scopeOf('endor_labs', 'request GET', 'namespace')).toBe('variable.other.placeholder.mapc');
    expect(scopeOf('entro', 'query  "from"', 'window.start')).toBe('variable.other.placeholder.mapc');
  });

  it('keywords, declarations and their names', () => {
    expect(scopeOf('endor_labs', 'integration endor_labs', 'integration')).toBe('storage.type.integration.mapc');
    expect(scopeOf('endor_labs', 'integration endor_labs', 'endor_labs')).toBe('entity.name.integration.mapc');
    expect(scopeOf('endor_labs', 'setting namespace', 'namespace')).toBe('entity.name.setting.mapc');
    expect(scopeOf('endor_labs', 'setting namespace', 'string')).toBe('support.type.setting.mapc');
    expect(scopeOf('endor_labs', 'setting namespace', 'required')).toBe('keyword.other.mapc');
    expect(scopeOf('endor_labs', 'table operation_types', 'operation_types')).toBe('entity.name.table.mapc');
    expect(scopeOf('endor_labs', 'stream audit', 'audit')).toBe('entity.name.stream.mapc');
    expect(scopeOf('endor_labs', 'paginate page_token', 'page_token')).toBe('keyword.other.mapc');
    expect(scopeOf('endor_labs', 'request GET', 'GET')).toBe('keyword.other.http-method.mapc');
    expect(scopeOf('endor_labs', 'max   meta.create_time', 'iso8601')).toBe('support.constant.date-format.mapc');
    expect(scopeOf('endor_labs', '"success" when', 'when')).toBe('keyword.control.conditional.mapc');
    expect(scopeOf('endor_labs', '"success" when', 'true')).toBe('constant.language.boolean.mapc');
    expect(scopeOf('entro', 'when not exists', 'not')).toBe('keyword.control.conditional.mapc');
  });

  it('transforms from the registry, with lookup tables', () => {
    expect(scopeOf('endor_labs', '@timestamp', 'date')).toBe('support.function.transform.mapc');
    expect(scopeOf('endor_labs', 'source.ip', 'ip')).toBe('support.function.transform.mapc');
    expect(scopeOf('endor_labs', 'event.type', 'lookup')).toBe('support.function.transform.mapc');
    expect(scopeOf('endor_labs', 'event.type', 'operation_types')).toBe('variable.other.table.mapc');
    expect(scopeOf('entro', 'mask(4)', 'mask')).toBe('support.function.transform.mapc');
    expect(scopeOf('entro', 'mask(4)', '4')).toBe('constant.numeric.mapc');
  });

  it('numbers and durations', () => {
    expect(scopeOf('endor_labs', 'lifetime', '4h')).toBe('constant.numeric.duration.mapc');
    expect(scopeOf('endor_labs', 'backoff', '60s')).toBe('constant.numeric.duration.mapc');
    expect(scopeOf('endor_labs', 'max_pages', '200')).toBe('constant.numeric.mapc');
    expect(scopeOf('entro', 'step', '1d')).toBe('constant.numeric.duration.mapc');
  });

  it('setting. and secret. references', () => {
    expect(scopeOf('endor_labs', 'interval setting.interval', 'setting')).toBe('variable.language.setting.mapc');
    expect(scopeOf('endor_labs', 'interval setting.interval', 'interval', 1)).toBe('variable.other.setting.mapc');
    expect(scopeOf('endor_labs', 'body {', 'api_key')).toBe('variable.other.secret.mapc');
    expect(scopeOf('endor_labs', 'body {', 'secret', 0)).toBe('variable.language.secret.mapc');
    expect(scopeOf('endor_labs', 'body {', 'secret', 1)).toBe('string.quoted.double.mapc');
  });

  it('field paths, @timestamp and the root $', () => {
    expect(scopeOf('endor_labs', '@timestamp', '@timestamp')).toBe('variable.other.field.mapc');
    expect(scopeOf('endor_labs', 'organization.name', 'organization.name')).toBe('variable.other.field.mapc');
    expect(scopeOf('endor_labs', 'records list.objects', 'list.objects')).toBe('variable.other.field.mapc');
    expect(scopeOf('entro', 'records $', '$')).toBe('variable.language.root.mapc');
  });

  it('an integration name and path segments that start with a digit (1password)', () => {
    const [decl, rule] = tokenize(grammar, 'integration 1password {\n    1password.events.uuid = uuid');
    expect(decl!.find((t) => t.text === '1password')?.scopes.at(-1)).toBe('entity.name.integration.mapc');
    expect(rule!.find((t) => t.text === '1password.events.uuid')?.scopes.at(-1)).toBe('variable.other.field.mapc');
    const [bad] = tokenize(grammar, '    interval 1.5h');
    expect(bad!.find((t) => t.text === '1.5h')?.scopes.at(-1)).toBe('invalid.illegal.duration.mapc');
  });

  it('operators', () => {
    expect(scopeOf('endor_labs', 'event.category', '+=')).toBe('keyword.operator.assignment.compound.mapc');
    expect(scopeOf('endor_labs', 'event.kind', '=')).toBe('keyword.operator.assignment.mapc');
    expect(scopeOf('endor_labs', '"success" when', '==')).toBe('keyword.operator.comparison.mapc');
    expect(scopeOf('endor_labs', '"OPERATION_CREATE"', '=>')).toBe('keyword.operator.arrow.mapc');
    expect(scopeOf('endor_labs', 'source.ip', '|')).toBe('keyword.operator.pipe.mapc');
  });

  it('escapes and invalid escapes inside strings, and an unterminated string ends with its line', () => {
    const [line, next] = tokenize(grammar, 'title "a\\"b\\u{1F600}\\q{{x}} {y.z}\nsecret k');
    const scope = (text: string): string | undefined => line!.find((t) => t.text === text)?.scopes.at(-1);
    expect(scope('\\"')).toBe('constant.character.escape.mapc');
    expect(scope('\\u{1F600}')).toBe('constant.character.escape.mapc');
    expect(scope('\\q')).toBe('invalid.illegal.escape.mapc');
    expect(scope('{{')).toBe('constant.character.escape.brace.mapc');
    expect(scope('y.z')).toBe('variable.other.placeholder.mapc');
    expect(next![0]).toEqual({ text: 'secret', scopes: [SCOPE_NAME, 'storage.type.secret.mapc'] });
  });
});
