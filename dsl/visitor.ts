/**
 * CST → AST: a chevrotain CST visitor over the grammar of `dsl/parser.ts` producing the nodes of
 * `dsl/ast.ts`. It also reports the syntax errors the grammar leaves to it:
 * - `E0007` an item given twice in one block (primary: the repeat, secondary: the first);
 * - `E0011` a sub-block without an item its kind requires (`token_exchange` without `token`);
 * - `E0006` bad placeholder syntax in template strings;
 * - `E0008` bad durations, `E0009` non-integers where an integer is required;
 * - `E0010` unknown transforms or transforms with the wrong arguments.
 *
 * The visitor also runs over CSTs that chevrotain recovered from errors: a missing token or
 * node aborts only the item being built (the private `Incomplete` signal), so the remaining
 * items are still checked and reported. Strings' escape errors (`E0003`) and unterminated
 * strings (`E0002`) are reported once, from the token stream, by `dsl/index.ts`.
 *
 * Chevrotain visitor API: https://chevrotain.io/docs/tutorial/step3a_adding_actions_visitor.html
 *
 * @module
 */
import type { CstNode, IToken } from 'chevrotain';
import type * as A from './ast.ts';
import { DEFAULT_ITEM_KEYWORDS, DEFAULT_ITEMS, pathText } from './ast.ts';
import type * as C from './cst.d.ts';
import { tokenizeDatePattern } from './date-pattern.ts';
import { parseRegex } from './regex.ts';
import type { DiagnosticCode } from './codes.ts';
import { diagnostic, type Diagnostic, type Label, type Span } from './diagnostics.ts';
import { mapParser } from './parser.ts';
import { decodeString, parseTemplate } from './strings.ts';
import { didYouMean } from './suggest.ts';
import { TRANSFORM_NAMES, transformsPhrase } from './transforms.ts';
import { FIELD_FORMAT_NAMES, FIELD_TYPE_NAMES, isFieldTypeName } from './field-types.ts';

/** A `{secret.NAME}` placeholder of an auth header template. */
const SECRET_PLACEHOLDER = /^secret\.[A-Za-z_][A-Za-z0-9_]*$/;
import { FIELD_FORMATS_PHRASE, FIELD_TYPES_PHRASE } from './parser.ts';

/** Thrown when a recovered CST lacks a piece; caught per item/declaration. */
class Incomplete extends Error {}
const INCOMPLETE = new Incomplete('incomplete CST');

/** One parsed block item before it is placed on its node. */
/** One source of a rule's value as parsed (`valueSource`), before it becomes a {@link A.RuleValue}. */
interface Source {
  readonly number?: A.NumberLiteral;
  readonly path?: A.PathNode;
  /** The path in `copy(...)`. */
  readonly call?: A.PathNode;
  /** `[KEY == LITERAL].REST` after the path. */
  readonly selection?: Selection;
  readonly transforms: readonly A.Transform[];
  readonly loc: Span;
}

/** A parsed `selection`: `[KEY == LITERAL]` and the optional `.REST`, or `[] { fields }`. */
type Selection =
  | { readonly key: A.PathNode; readonly equals: A.Literal; readonly rest?: A.PathNode; readonly loc: Span }
  | { readonly fields: readonly A.ElementField[]; readonly loc: Span };

interface Item {
  readonly key: string;
  readonly keyLoc: Span;
  readonly loc: Span;
  readonly value: unknown;
}

const BaseVisitor = mapParser.getBaseCstVisitorConstructor();

/** The value word of the collection time (`event.created = collected_at`). */
export const COLLECTION_TIME = 'collected_at';

const CONVERSION_TYPES: ReadonlySet<string> = new Set(['keyword', 'long', 'double', 'boolean', 'ip']);
/** Stream item rules (other than `streamText`) and the keyword each starts with. */
const STREAM_ITEM_KEYWORDS: Readonly<Record<A.DefaultItem | 'map' | 'record', string>> = {
  ...DEFAULT_ITEM_KEYWORDS,
  map: 'map',
  record: 'record',
};
const STREAM_ITEM_RULES = Object.keys(STREAM_ITEM_KEYWORDS) as (keyof typeof STREAM_ITEM_KEYWORDS)[];

/** A duration as written (`500ms`, `30s`, `5m`, `4h`, `1d`): never read as a digit-leading name. */
const DURATION_SHAPE = /^[0-9]+(?:ms|s|m|h|d)$/;

const DURATION_UNITS: Readonly<Record<A.DurationUnit, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

export class AstBuilder extends BaseVisitor {
  readonly diagnostics: Diagnostic[] = [];
  /** Item maps of blocks in which some item failed to build. */
  private readonly brokenBlocks = new WeakSet<Map<string, Item>>();

  constructor(
    private readonly fileName: string,
    private readonly source: string,
  ) {
    super();
    this.validateVisitor();
  }

  // ------------------------------------------------------------------ helpers

  private report(
    code: DiagnosticCode,
    message: string,
    primary: Label,
    secondary: Label[] = [],
    notes: string[] = [],
  ): void {
    this.diagnostics.push(diagnostic(code, 'error', message, primary, { secondary, notes }));
  }

  private tok(tokens: readonly IToken[] | undefined, index = 0): IToken {
    const t = tokens?.[index];
    if (t === undefined || t.isInsertedInRecovery === true || Number.isNaN(t.startOffset)) throw INCOMPLETE;
    return t;
  }

  private node<T extends CstNode>(nodes: readonly T[] | undefined, index = 0): T {
    const n = nodes?.[index];
    if (n === undefined || n.recoveredNode === true) throw INCOMPLETE;
    return n;
  }

  private tokenSpan(t: IToken): Span {
    return {
      file: this.fileName,
      offset: t.startOffset,
      length: t.image.length,
      line: t.startLine ?? 0,
      column: t.startColumn ?? 0,
    };
  }

  private nodeSpan(n: CstNode): Span {
    const l = n.location;
    if (l === undefined || Number.isNaN(l.startOffset) || l.endOffset === undefined || Number.isNaN(l.endOffset))
      throw INCOMPLETE;
    return {
      file: this.fileName,
      offset: l.startOffset,
      length: l.endOffset - l.startOffset + 1,
      line: l.startLine ?? 0,
      column: l.startColumn ?? 0,
    };
  }

  /** Visits a child node, giving it its own span as parameter. */
  private sub<T>(nodes: readonly CstNode[] | undefined, index = 0): T {
    const n = this.node(nodes, index);
    return this.visit(n, this.nodeSpan(n)) as T;
  }

  /** Visits every node of a list; a node that aborts (recovered CST) is skipped. */
  private each<T>(nodes: readonly CstNode[] | undefined): T[] {
    const out: T[] = [];
    for (const n of nodes ?? []) {
      const r = this.attempt(() => this.visit(n, this.nodeSpan(n)) as T);
      if (r !== undefined) out.push(r);
    }
    return out;
  }

  private attempt<T>(f: () => T): T | undefined {
    try {
      return f();
    } catch (e) {
      if (e instanceof Incomplete) return undefined;
      throw e;
    }
  }

  private name(t: IToken): A.NameNode {
    return { kind: 'Name', value: t.image, loc: this.tokenSpan(t) };
  }

  /**
   * A name that starts with digits (`1password`), which the lexer reads as a `Duration` token
   * (digits, then a word). A duration (`5m`: never silently a field read where a duration was
   * meant) or one with a fraction (`1.5h`) is no name: `E0004`, and its text is kept so the
   * rest of the file is still checked.
   */
  private digitName(t: IToken, what: string): A.NameNode {
    if (DURATION_SHAPE.test(t.image))
      this.report(
        'E0004',
        `expected ${what}, found the duration "${t.image}"`,
        { span: this.tokenSpan(t), message: `expected ${what}` },
        [],
        [`help: a field named like a duration is written quoted: "${t.image}"`],
      );
    else if (t.image.includes('.'))
      this.report(
        'E0004',
        `expected ${what}, found "${t.image}"`,
        {
          span: this.tokenSpan(t),
          message: `expected ${what}`,
        },
        [],
        ['help: a name is letters, digits and "_"; quote a path segment that holds other characters'],
      );
    return this.name(t);
  }

  private str(t: IToken): A.StringLiteral {
    const terminated = t.tokenType.name === 'StringLiteral';
    return { kind: 'String', value: decodeString(t.image, terminated).value, loc: this.tokenSpan(t) };
  }

  private tpl(t: IToken): A.TemplateString {
    const terminated = t.tokenType.name === 'StringLiteral';
    const { parts, problems } = parseTemplate(t.image, terminated);
    const at = (rel: number, length: number): Span => ({
      file: this.fileName,
      offset: t.startOffset + rel,
      length,
      line: t.startLine ?? 0,
      column: (t.startColumn ?? 0) + rel,
    });
    for (const p of problems) {
      if (p.code === 'E0006')
        this.report('E0006', p.message, { span: at(p.offset, p.length), message: p.label }, [], [...p.notes]);
    }
    return {
      kind: 'Template',
      value: decodeString(t.image, terminated).value,
      parts: parts.map((p): A.TemplatePart =>
        p.kind === 'text'
          ? { kind: 'TemplateText', text: p.text, loc: at(p.start, p.end - p.start) }
          : {
              kind: 'Placeholder',
              name: p.name,
              loc: at(p.start, p.end - p.start),
              nameLoc: at(p.start + 1, p.end - p.start - 2),
            },
      ),
      loc: this.tokenSpan(t),
    };
  }

  private num(t: IToken): A.NumberLiteral {
    return {
      kind: 'Number',
      value: Number(t.image),
      raw: t.image,
      integer: !t.image.includes('.'),
      loc: this.tokenSpan(t),
    };
  }

  /** A number that must be an integer (`INT` in the grammar); `what` names it in the message. */
  private int(t: IToken, what: string): A.NumberLiteral {
    const n = this.num(t);
    if (!n.integer) {
      this.report('E0009', `expected an integer for ${what}, found "${t.image}"`, {
        span: n.loc,
        message: 'not an integer',
      });
      throw INCOMPLETE;
    }
    return n;
  }

  private dur(t: IToken): A.DurationLiteral {
    const m = /^([0-9]+)(ms|s|m|h|d)$/.exec(t.image);
    if (m === null) {
      this.report(
        'E0008',
        `invalid duration "${t.image}": expected an integer followed by ms, s, m, h or d`,
        { span: this.tokenSpan(t), message: 'not a duration' },
        [],
        ['help: write durations like 500ms, 30s, 5m, 4h or 1d'],
      );
      throw INCOMPLETE;
    }
    const amount = Number(m[1]);
    const unit = m[2] as A.DurationUnit;
    return {
      kind: 'Duration',
      amount,
      unit,
      milliseconds: amount * DURATION_UNITS[unit],
      raw: t.image,
      loc: this.tokenSpan(t),
    };
  }

  /** The first present token among `keys` of a children object (the keyword of an item). */
  private keyword(children: Record<string, unknown>, keys: readonly string[]): IToken {
    for (const k of keys) {
      const v = children[k] as IToken[] | undefined;
      if (v !== undefined && v.length > 0) return this.tok(v);
    }
    throw INCOMPLETE;
  }

  /**
   * Places the items of one block: single-valued keys keep their first occurrence (a repeat is
   * `E0007`), keys in `multi` accumulate in order.
   */
  private gather(
    nodes: readonly CstNode[] | undefined,
    block: string,
    multi: ReadonlySet<string> = new Set(),
  ): { single: Map<string, Item>; multi: Item[] } {
    const single = new Map<string, Item>();
    const many: Item[] = [];
    const items = this.each<Item>(nodes);
    // An item that could not be built was reported already; "missing item" would be an echo.
    if (items.length < (nodes?.length ?? 0)) this.brokenBlocks.add(single);
    for (const item of items) {
      if (multi.has(item.key)) {
        many.push(item);
        continue;
      }
      const first = single.get(item.key);
      if (first === undefined) {
        single.set(item.key, item);
        continue;
      }
      this.report(
        'E0007',
        `"${item.key}" is given twice in ${block}`,
        { span: item.keyLoc, message: 'given again here' },
        [{ span: first.keyLoc, message: 'first given here' }],
        [`help: keep only one "${item.key}"`],
      );
    }
    return { single, multi: many };
  }

  /**
   * The word after `keyword` when it must be one of `choices` (a name the grammar accepts so that
   * a wrong word is reported here): E0004 naming the choices, with "did you mean".
   */
  private oneOf<const W extends string>(word: IToken, choices: readonly W[], keyword: string): W {
    if ((choices as readonly string[]).includes(word.image)) return word.image as W;
    const expected = choices.map((w) => `"${w}"`).join(' or ');
    this.report(
      'E0004',
      `expected ${expected} after "${keyword}", found "${word.image}"`,
      { span: this.tokenSpan(word), message: `expected ${expected}` },
      [],
      didYouMean(word.image, choices),
    );
    throw INCOMPLETE;
  }

  private opt<T>(items: Map<string, Item>, key: string): T | undefined {
    return items.get(key)?.value as T | undefined;
  }

  /** A required item of a sub-block: reports `E0011` at the block's keyword when absent. */
  private need<T>(items: Map<string, Item>, key: string, block: string, blockKeyword: IToken): T {
    const item = items.get(key);
    if (item === undefined) {
      if (this.brokenBlocks.has(items)) throw INCOMPLETE;
      this.report('E0011', `the ${block} block has no "${key}" item`, {
        span: this.tokenSpan(blockKeyword),
        message: `this block needs a "${key}" item`,
      });
      throw INCOMPLETE;
    }
    return item.value as T;
  }

  private item(keyToken: IToken, loc: Span, value: unknown, key = keyToken.image): Item {
    return { key, keyLoc: this.tokenSpan(keyToken), loc, value };
  }

  // ------------------------------------------------------------------ file and declarations

  file(children: C.FileCstChildren): A.Declaration[] {
    const nodes: CstNode[] = [
      ...(children.integration ?? []),
      ...(children.setting ?? []),
      ...(children.secret ?? []),
      ...(children.table ?? []),
      ...(children.stream ?? []),
      ...(children.defaults ?? []),
    ].sort((a, b) => (a.location?.startOffset ?? 0) - (b.location?.startOffset ?? 0));
    return this.each<A.Declaration>(nodes);
  }

  /** The whole-file node over the declarations of every parsed chunk. */
  mapFile(declarations: readonly A.Declaration[]): A.MapFile {
    return {
      kind: 'MapFile',
      file: this.fileName,
      declarations,
      source: this.source,
      loc: { file: this.fileName, offset: 0, length: this.source.length, line: 1, column: 1 },
    };
  }

  integration(children: C.IntegrationCstChildren, loc: Span): A.IntegrationDecl {
    const items = this.gather(children.integrationItem, 'the integration block').single;
    return {
      kind: 'Integration',
      name:
        children.Duration !== undefined
          ? this.digitName(this.tok(children.Duration), 'an integration name')
          : this.name(this.tok(children.Name)),
      title: this.opt(items, 'title'),
      vendor: this.opt(items, 'vendor'),
      version: this.opt(items, 'version'),
      description: this.opt(items, 'description'),
      changelog: this.opt(items, 'changelog'),
      ecs: this.opt(items, 'ecs'),
      agentless: this.opt(items, 'agentless'),
      loc,
    };
  }

  integrationItem(children: C.IntegrationItemCstChildren, loc: Span): Item {
    if (children.agentless !== undefined) {
      const block = this.sub<A.AgentlessBlock>(children.agentless);
      const node = this.node(children.agentless) as C.AgentlessCstNode;
      return this.item(this.tok(node.children.Kw_agentless), loc, block);
    }
    const key = this.keyword(children, [
      'Kw_title',
      'Kw_vendor',
      'Kw_version',
      'Kw_description',
      'Kw_changelog',
      'Kw_ecs',
    ]);
    return this.item(key, loc, this.str(this.tok(children.StringLiteral)));
  }

  agentless(children: C.AgentlessCstChildren, loc: Span): A.AgentlessBlock {
    const items = this.gather(children.agentlessItem, 'the agentless block').single;
    return {
      kind: 'Agentless',
      organization: this.opt(items, 'organization'),
      division: this.opt(items, 'division'),
      team: this.opt(items, 'team'),
      loc,
    };
  }

  agentlessItem(children: C.AgentlessItemCstChildren, loc: Span): Item {
    const key = this.keyword(children, ['Kw_organization', 'Kw_division', 'Kw_team']);
    return this.item(key, loc, this.str(this.tok(children.StringLiteral)));
  }

  setting(children: C.SettingCstChildren, loc: Span): A.SettingDecl {
    const name = this.name(this.tok(children.Name));
    const type = this.sub<A.SettingTypeNode>(children.settingType);
    const def = children.literal === undefined ? undefined : this.sub<A.Literal>(children.literal);
    const required = children.Kw_required === undefined ? undefined : this.tok(children.Kw_required);
    const info = children.info === undefined ? undefined : this.sub<Map<string, Item>>(children.info);
    return {
      kind: 'Setting',
      name,
      type,
      default: def,
      required: required !== undefined,
      requiredLoc: required === undefined ? undefined : this.tokenSpan(required),
      title: info === undefined ? undefined : this.opt(info, 'title'),
      description: info === undefined ? undefined : this.opt(info, 'description'),
      loc,
    };
  }

  settingType(children: C.SettingTypeCstChildren, loc: Span): A.SettingTypeNode {
    const t = this.keyword(children, ['Kw_string', 'Kw_url', 'Kw_duration', 'Kw_timestamp', 'Kw_int', 'Kw_bool']);
    return { kind: 'SettingType', value: t.image as A.SettingTypeName, loc };
  }

  literal(children: C.LiteralCstChildren, loc: Span): A.Literal {
    if (children.StringLiteral !== undefined) return this.str(this.tok(children.StringLiteral));
    if (children.NumberLiteral !== undefined) return this.num(this.tok(children.NumberLiteral));
    if (children.Kw_true !== undefined) return { kind: 'Boolean', value: true, loc };
    if (children.Kw_false !== undefined) return { kind: 'Boolean', value: false, loc };
    throw INCOMPLETE;
  }

  secret(children: C.SecretCstChildren, loc: Span): A.SecretDecl {
    const name = this.name(this.tok(children.Name));
    const info = children.info === undefined ? undefined : this.sub<Map<string, Item>>(children.info);
    return {
      kind: 'Secret',
      name,
      title: info === undefined ? undefined : this.opt(info, 'title'),
      description: info === undefined ? undefined : this.opt(info, 'description'),
      loc,
    };
  }

  info(children: C.InfoCstChildren): Map<string, Item> {
    return this.gather(children.infoItem, 'the info block').single;
  }

  infoItem(children: C.InfoItemCstChildren, loc: Span): Item {
    const key = this.keyword(children, ['Kw_title', 'Kw_description']);
    return this.item(key, loc, this.str(this.tok(children.StringLiteral)));
  }

  table(children: C.TableCstChildren, loc: Span): A.TableDecl {
    const name = this.name(this.tok(children.Name));
    const entries = this.each<A.TableEntry>(children.tableEntry);
    const defaults = this.gather(children.tableDefault, `table ${name.value}`).single;
    return { kind: 'Table', name, entries, default: this.opt(defaults, 'default'), loc };
  }

  tableEntry(children: C.TableEntryCstChildren, loc: Span): A.TableEntry {
    return {
      kind: 'TableEntry',
      from: this.str(this.tok(children.StringLiteral, 0)),
      to: this.sub<A.TableValue>(children.tableValue),
      loc,
    };
  }

  tableDefault(children: C.TableDefaultCstChildren, loc: Span): Item {
    return this.item(this.tok(children.Kw_default), loc, this.sub<A.TableValue>(children.tableValue));
  }

  tableValue(children: C.TableValueCstChildren): A.TableValue {
    if (children.stringList) return this.sub<A.StringList>(children.stringList);
    return this.str(this.tok(children.StringLiteral));
  }

  stringList(children: C.StringListCstChildren, loc: Span): A.StringList {
    return { kind: 'StringList', items: (children.StringLiteral ?? []).map((t) => this.str(t)), loc };
  }

  // ------------------------------------------------------------------ stream

  stream(children: C.StreamCstChildren, loc: Span): A.StreamDecl {
    const name = this.name(this.tok(children.Name));
    const items = this.gather(children.streamItem, `stream ${name.value}`).single;
    return {
      kind: 'Stream',
      name,
      title: this.opt(items, 'title'),
      description: this.opt(items, 'description'),
      dataset: this.opt(items, 'dataset'),
      interval: this.opt(items, 'interval'),
      auth: this.opt(items, 'auth'),
      request: this.opt(items, 'request'),
      paginate: this.opt(items, 'paginate'),
      records: this.opt(items, 'records'),
      split: this.opt(items, 'split'),
      cursor: this.opt(items, 'cursor'),
      rateLimit: this.opt(items, 'rate_limit'),
      retry: this.opt(items, 'retry'),
      maxPages: this.opt(items, 'max_pages'),
      map: this.opt(items, 'map'),
      record: this.opt(items, 'record'),
      loc,
    };
  }

  defaults(children: C.DefaultsCstChildren, loc: Span): A.DefaultsDecl {
    const keyword = this.tok(children.Kw_defaults);
    const items = this.gather(children.streamItem, 'the defaults block').single;
    const allowed = new Map<string, A.DefaultItem>(DEFAULT_ITEMS.map((f) => [DEFAULT_ITEM_KEYWORDS[f], f]));
    const fields: { [K in A.DefaultItem]?: unknown } = {};
    const refused: A.NameNode[] = [];
    for (const [key, item] of items) {
      const field = allowed.get(key);
      if (field !== undefined) fields[field] = item.value;
      else refused.push({ kind: 'Name', value: key, loc: item.keyLoc });
    }
    return {
      kind: 'Defaults',
      keywordLoc: this.tokenSpan(keyword),
      ...(fields as { [K in A.DefaultItem]?: A.StreamDecl[K] }),
      refused: refused.sort((a, b) => a.loc.offset - b.loc.offset),
      loc,
    };
  }

  streamItem(children: C.StreamItemCstChildren, loc: Span): Item {
    const c = children;
    if (c.streamText !== undefined) return this.sub<Item>(c.streamText);
    const [rule] = STREAM_ITEM_RULES.filter((r) => c[r] !== undefined);
    if (rule === undefined) throw INCOMPLETE;
    const n: CstNode = this.node<CstNode>(c[rule]);
    // Every stream item rule starts with its keyword: `rate_limit` for rule `rateLimit`.
    const keyword = STREAM_ITEM_KEYWORDS[rule];
    const value = this.sub<{ loc: Span }>([n]);
    const kids: Record<string, unknown> = n.children;
    return this.item(this.tok(kids[`Kw_${keyword}`] as IToken[] | undefined), loc, value, keyword);
  }

  streamText(children: C.StreamTextCstChildren, loc: Span): Item {
    const key = this.keyword(children, ['Kw_title', 'Kw_description', 'Kw_dataset']);
    return this.item(key, loc, this.str(this.tok(children.StringLiteral)));
  }

  interval(children: C.IntervalCstChildren, loc: Span): A.IntervalItem {
    const value =
      children.Duration !== undefined
        ? this.dur(this.tok(children.Duration))
        : this.sub<A.SettingRef>(children.settingRef);
    return { kind: 'Interval', value, loc };
  }

  settingRef(children: C.SettingRefCstChildren, loc: Span): A.SettingRef {
    return { kind: 'SettingRef', name: this.name(this.tok(children.Name)), loc };
  }

  secretRef(children: C.SecretRefCstChildren, loc: Span): A.SecretRef {
    return { kind: 'SecretRef', name: this.name(this.tok(children.Name)), loc };
  }

  valueRef(children: C.ValueRefCstChildren): A.SettingRef | A.SecretRef {
    return children.settingRef !== undefined
      ? this.sub<A.SettingRef>(children.settingRef)
      : this.sub<A.SecretRef>(children.secretRef);
  }

  // ------------------------------------------------------------------ auth

  auth(children: C.AuthCstChildren, loc: Span): A.Auth {
    const c = children;
    const [variant] = [c.authHeader, c.authBearer, c.authBasic, c.authTokenExchange, c.authOAuth2].filter(
      (x) => x !== undefined,
    );
    const n = this.node(variant as CstNode[] | undefined);
    // The variant's node is visited with the whole item's span (`auth` keyword included).
    return this.visit(n, loc) as A.Auth;
  }

  authHeader(children: C.AuthHeaderCstChildren, loc: Span): A.AuthHeader {
    const [headerToken, valueToken] = children.StringLiteral ?? [];
    const header = this.str(headerToken!);
    if (children.secretRef !== undefined)
      return { kind: 'AuthHeader', header, secret: this.sub(children.secretRef), loc };
    const template = this.tpl(valueToken!);
    // The first `{secret.NAME}` placeholder is the secret; the checks refuse any other shape (E0194).
    const placeholder = template.parts.find(
      (p): p is A.TemplatePlaceholder => p.kind === 'Placeholder' && SECRET_PLACEHOLDER.test(p.name),
    );
    if (placeholder === undefined) return { kind: 'AuthHeader', header, template, loc };
    const prefix = 'secret.'.length;
    const nameLoc: Span = {
      ...placeholder.nameLoc,
      offset: placeholder.nameLoc.offset + prefix,
      column: placeholder.nameLoc.column + prefix,
      length: placeholder.nameLoc.length - prefix,
    };
    const secret: A.SecretRef = {
      kind: 'SecretRef',
      name: { kind: 'Name', value: placeholder.name.slice(prefix), loc: nameLoc },
      loc: placeholder.loc,
    };
    return { kind: 'AuthHeader', header, secret, template, loc };
  }

  authBearer(children: C.AuthBearerCstChildren, loc: Span): A.AuthBearer {
    return { kind: 'AuthBearer', secret: this.sub(children.secretRef), loc };
  }

  authBasic(children: C.AuthBasicCstChildren, loc: Span): A.AuthBasic {
    const kw = this.tok(children.Kw_basic);
    const items = this.gather(children.basicItem, 'the basic block').single;
    return {
      kind: 'AuthBasic',
      username: this.need(items, 'username', 'basic', kw),
      password: this.need(items, 'password', 'basic', kw),
      loc,
    };
  }

  basicItem(children: C.BasicItemCstChildren, loc: Span): Item {
    if (children.Kw_username !== undefined)
      return this.item(this.tok(children.Kw_username), loc, this.sub(children.valueRef));
    return this.item(this.tok(children.Kw_password), loc, this.sub(children.secretRef));
  }

  authTokenExchange(children: C.AuthTokenExchangeCstChildren, loc: Span): A.AuthTokenExchange {
    const kw = this.tok(children.Kw_token_exchange);
    const items = this.gather(children.tokenExchangeItem, 'the token_exchange block').single;
    const request = this.need<A.RequestNode>(items, 'request', 'token_exchange', kw);
    const token = this.need<A.PathNode>(items, 'token', 'token_exchange', kw);
    const header = this.need<A.TokenHeader>(items, 'header', 'token_exchange', kw);
    return {
      kind: 'AuthTokenExchange',
      request,
      token,
      lifetime: this.opt(items, 'lifetime'),
      expiresAt: this.opt(items, 'expires_at'),
      renewBefore: this.opt(items, 'renew_before'),
      header,
      loc,
    };
  }

  tokenExchangeItem(children: C.TokenExchangeItemCstChildren, loc: Span): Item {
    const c = children;
    if (c.request !== undefined) {
      const n = this.node(c.request);
      return this.item(this.tok(n.children.Kw_request), loc, this.sub(c.request));
    }
    if (c.Kw_token !== undefined) return this.item(this.tok(c.Kw_token), loc, this.sub(c.path));
    if (c.Kw_lifetime !== undefined) return this.item(this.tok(c.Kw_lifetime), loc, this.dur(this.tok(c.Duration)));
    if (c.Kw_expires_at !== undefined) return this.item(this.tok(c.Kw_expires_at), loc, this.sub(c.path));
    if (c.Kw_renew_before !== undefined)
      return this.item(this.tok(c.Kw_renew_before), loc, this.dur(this.tok(c.Duration)));
    const header: A.TokenHeader = {
      kind: 'TokenHeader',
      name: this.str(this.tok(c.StringLiteral, 0)),
      value: this.tpl(this.tok(c.StringLiteral, 1)),
      loc,
    };
    return this.item(this.tok(c.Kw_header), loc, header);
  }

  authOAuth2(children: C.AuthOAuth2CstChildren, loc: Span): A.AuthOAuth2 {
    const kw = this.tok(children.Kw_oauth2);
    const items = this.gather(children.oauth2Item, 'the oauth2 block').single;
    // The client authenticates with a secret (RFC 6749 §2.3.1) or a signed assertion (RFC 7523 §2.2).
    const secretItem = items.get('client_secret');
    const keyItem = items.get('private_key');
    if (secretItem !== undefined && keyItem !== undefined) {
      this.report(
        'E0014',
        'the oauth2 block gives both "client_secret" and "private_key"',
        { span: keyItem.keyLoc, message: 'a second way to authenticate the client' },
        [{ span: secretItem.keyLoc, message: 'the first' }],
        ['help: keep client_secret for a shared secret, or private_key for a signed JWT assertion (private_key_jwt)'],
      );
      throw INCOMPLETE;
    }
    if (secretItem === undefined && keyItem === undefined) {
      if (this.brokenBlocks.has(items)) throw INCOMPLETE;
      this.report('E0011', 'the oauth2 block has no "client_secret" or "private_key" item', {
        span: this.tokenSpan(kw),
        message: 'this block needs a "client_secret" or a "private_key" item',
      });
      throw INCOMPLETE;
    }
    const clientAuth =
      keyItem !== undefined
        ? { privateKey: keyItem.value as A.SecretRef }
        : { clientSecret: secretItem!.value as A.SecretRef };
    return {
      kind: 'AuthOAuth2',
      tokenUrl: this.need(items, 'token_url', 'oauth2', kw),
      clientId: this.need(items, 'client_id', 'oauth2', kw),
      ...clientAuth,
      scopes: this.opt<A.StringLiteral[]>(items, 'scopes') ?? [],
      loc,
    };
  }

  oauth2Item(children: C.Oauth2ItemCstChildren, loc: Span): Item {
    const c = children;
    if (c.Kw_token_url !== undefined)
      return this.item(this.tok(c.Kw_token_url), loc, this.tpl(this.tok(c.StringLiteral)));
    if (c.Kw_client_id !== undefined) return this.item(this.tok(c.Kw_client_id), loc, this.sub(c.valueRef));
    if (c.Kw_client_secret !== undefined) return this.item(this.tok(c.Kw_client_secret), loc, this.sub(c.secretRef));
    if (c.Kw_private_key !== undefined) return this.item(this.tok(c.Kw_private_key), loc, this.sub(c.secretRef));
    const scopes = (c.StringLiteral ?? []).map((t) => this.str(this.tok([t])));
    return this.item(this.tok(c.Kw_scopes), loc, scopes);
  }

  // ------------------------------------------------------------------ request

  request(children: C.RequestCstChildren, loc: Span): A.RequestNode {
    const method = this.keyword(children, ['Kw_GET', 'Kw_POST']);
    const url = this.tpl(this.tok(children.StringLiteral));
    const items = this.gather(children.requestItem, 'the request block', new Set(['header', 'query']));
    const params = items.multi.map((i) => i.value as A.RequestParam);
    return {
      kind: 'Request',
      method: method.image as 'GET' | 'POST',
      methodLoc: this.tokenSpan(method),
      url,
      headers: params.filter((p) => p.in === 'header'),
      query: params.filter((p) => p.in === 'query'),
      body: this.opt(items.single, 'body'),
      loc,
    };
  }

  requestItem(children: C.RequestItemCstChildren, loc: Span): Item {
    const c = children;
    if (c.Kw_body !== undefined) return this.item(this.tok(c.Kw_body), loc, this.sub(c.jsonObject));
    const kw = this.keyword(c, ['Kw_header', 'Kw_query']);
    const param: A.RequestParam = {
      kind: 'RequestParam',
      in: kw.image as 'header' | 'query',
      name: this.str(this.tok(c.StringLiteral, 0)),
      value: this.tpl(this.tok(c.StringLiteral, 1)),
      optional: c.Kw_optional !== undefined,
      ...(c.requestCondition !== undefined ? { when: this.sub<A.RequestWhen>(c.requestCondition) } : {}),
      loc,
    };
    return this.item(kw, loc, param);
  }

  requestCondition(children: C.RequestConditionCstChildren, loc: Span): A.RequestWhen {
    const c = children;
    if (c.Kw_not !== undefined) return { kind: 'RequestNot', operand: this.sub(c.requestCondition), loc };
    if (c.settingRef !== undefined) return this.sub<A.SettingRef>(c.settingRef);
    const words = [...(c.Identifier ?? []), ...(c.Name ?? [])].sort((a, b) => a.startOffset - b.startOffset);
    return { kind: 'RequestFlag', name: words.map((t) => t.image).join('.'), loc };
  }

  jsonObject(children: C.JsonObjectCstChildren, loc: Span): A.JsonObject {
    return {
      kind: 'JsonObject',
      entries: (children.jsonEntry ?? []).map((_, i) => this.sub<A.JsonEntry>(children.jsonEntry, i)),
      loc,
    };
  }

  jsonEntry(children: C.JsonEntryCstChildren, loc: Span): A.JsonEntry {
    return {
      kind: 'JsonEntry',
      key: this.str(this.tok(children.StringLiteral)),
      value: this.sub(children.jsonValue),
      loc,
    };
  }

  jsonArray(children: C.JsonArrayCstChildren, loc: Span): A.JsonArray {
    return {
      kind: 'JsonArray',
      items: (children.jsonValue ?? []).map((_, i) => this.sub<A.JsonValue>(children.jsonValue, i)),
      loc,
    };
  }

  jsonValue(children: C.JsonValueCstChildren, loc: Span): A.JsonValue {
    const c = children;
    if (c.jsonObject !== undefined) return this.sub(c.jsonObject);
    if (c.jsonArray !== undefined) return this.sub(c.jsonArray);
    if (c.StringLiteral !== undefined) return this.tpl(this.tok(c.StringLiteral));
    if (c.NumberLiteral !== undefined) return this.num(this.tok(c.NumberLiteral));
    if (c.Kw_true !== undefined) return { kind: 'Boolean', value: true, loc };
    if (c.Kw_false !== undefined) return { kind: 'Boolean', value: false, loc };
    if (c.Kw_null !== undefined) return { kind: 'Null', loc };
    if (c.settingRef !== undefined) return this.sub(c.settingRef);
    return this.sub(c.secretRef);
  }

  // ------------------------------------------------------------------ pagination

  paginate(children: C.PaginateCstChildren, loc: Span): A.Paginate {
    const c = children;
    if (c.Kw_link_header !== undefined) return { kind: 'PaginateLinkHeader', loc };
    const [variant] = [
      c.pageTokenPaging,
      c.cursorHasMorePaging,
      c.pageNumberPaging,
      c.offsetPaging,
      c.timeWindowPaging,
    ].filter((x) => x !== undefined);
    return this.visit(this.node(variant as CstNode[] | undefined), loc) as A.Paginate;
  }

  param(children: C.ParamCstChildren, loc: Span): A.Param {
    if (children.Kw_query !== undefined)
      return { kind: 'QueryParam', name: this.str(this.tok(children.StringLiteral)), loc };
    const replace = children.Kw_replace?.[0];
    return {
      kind: 'BodyParam',
      path: this.sub(children.path),
      ...(replace ? { replace: this.tokenSpan(replace) } : {}),
      loc,
    };
  }

  pageTokenPaging(children: C.PageTokenPagingCstChildren, loc: Span): A.PaginatePageToken {
    const kw = this.tok(children.Kw_page_token);
    const items = this.gather(children.pageTokenItem, 'the page_token block').single;
    return {
      kind: 'PaginatePageToken',
      token: this.need(items, 'token', 'page_token', kw),
      send: this.need(items, 'send', 'page_token', kw),
      loc,
    };
  }

  pageTokenItem(children: C.PageTokenItemCstChildren, loc: Span): Item {
    if (children.Kw_token !== undefined) return this.item(this.tok(children.Kw_token), loc, this.sub(children.path));
    return this.item(this.tok(children.Kw_send), loc, this.sub(children.param));
  }

  cursorHasMorePaging(children: C.CursorHasMorePagingCstChildren, loc: Span): A.PaginateCursorHasMore {
    const kw = this.tok(children.Kw_cursor_has_more);
    const items = this.gather(children.cursorHasMoreItem, 'the cursor_has_more block').single;
    return {
      kind: 'PaginateCursorHasMore',
      cursor: this.need(items, 'cursor', 'cursor_has_more', kw),
      hasMore: this.need(items, 'has_more', 'cursor_has_more', kw),
      send: this.need(items, 'send', 'cursor_has_more', kw),
      loc,
    };
  }

  cursorHasMoreItem(children: C.CursorHasMoreItemCstChildren, loc: Span): Item {
    const c = children;
    if (c.Kw_cursor !== undefined) return this.item(this.tok(c.Kw_cursor), loc, this.sub(c.path));
    if (c.Kw_has_more !== undefined) return this.item(this.tok(c.Kw_has_more), loc, this.sub(c.path));
    return this.item(this.tok(c.Kw_send), loc, this.sub(c.param));
  }

  pageNumberPaging(children: C.PageNumberPagingCstChildren, loc: Span): A.PaginatePageNumber {
    const kw = this.tok(children.Kw_page_number);
    const items = this.gather(children.pageNumberItem, 'the page_number block').single;
    const size = this.need<{ param: A.Param; value: A.NumberLiteral }>(items, 'size', 'page_number', kw);
    return {
      kind: 'PaginatePageNumber',
      send: this.need(items, 'send', 'page_number', kw),
      start: this.opt(items, 'start'),
      size: size.param,
      sizeValue: size.value,
      loc,
    };
  }

  pageNumberItem(children: C.PageNumberItemCstChildren, loc: Span): Item {
    const c = children;
    if (c.Kw_send !== undefined) return this.item(this.tok(c.Kw_send), loc, this.sub(c.param));
    if (c.Kw_start !== undefined)
      return this.item(this.tok(c.Kw_start), loc, this.int(this.tok(c.NumberLiteral), 'start'));
    const size = { param: this.sub<A.Param>(c.param), value: this.int(this.tok(c.NumberLiteral), 'the page size') };
    return this.item(this.tok(c.Kw_size), loc, size);
  }

  offsetPaging(children: C.OffsetPagingCstChildren, loc: Span): A.PaginateOffset {
    const kw = this.tok(children.Kw_offset);
    const items = this.gather(children.offsetItem, 'the offset block').single;
    const limit = this.need<{ param: A.Param; value: A.NumberLiteral }>(items, 'limit', 'offset', kw);
    return {
      kind: 'PaginateOffset',
      offset: this.need(items, 'offset', 'offset', kw),
      limit: limit.param,
      limitValue: limit.value,
      total: this.opt(items, 'total'),
      loc,
    };
  }

  offsetItem(children: C.OffsetItemCstChildren, loc: Span): Item {
    const c = children;
    if (c.Kw_offset !== undefined) return this.item(this.tok(c.Kw_offset), loc, this.sub(c.param));
    if (c.Kw_total !== undefined) return this.item(this.tok(c.Kw_total), loc, this.sub(c.path));
    const limit = { param: this.sub<A.Param>(c.param), value: this.int(this.tok(c.NumberLiteral), 'the limit') };
    return this.item(this.tok(c.Kw_limit), loc, limit);
  }

  timeWindowPaging(children: C.TimeWindowPagingCstChildren, loc: Span): A.PaginateTimeWindow {
    const kw = this.tok(children.Kw_time_window);
    const items = this.gather(children.timeWindowItem, 'the time_window block').single;
    return {
      kind: 'PaginateTimeWindow',
      step: this.need(items, 'step', 'time_window', kw),
      format: this.need(items, 'format', 'time_window', kw),
      loc,
    };
  }

  timeWindowItem(children: C.TimeWindowItemCstChildren, loc: Span): Item {
    if (children.Kw_step !== undefined)
      return this.item(this.tok(children.Kw_step), loc, this.dur(this.tok(children.Duration)));
    return this.item(this.tok(children.Kw_format), loc, this.sub(children.dateFormat));
  }

  dateFormat(children: C.DateFormatCstChildren, loc: Span): A.DateFormatNode {
    if (children.StringLiteral !== undefined) {
      return patternFormat(this.str(this.tok(children.StringLiteral)).value, loc);
    }
    const t = this.keyword(children, ['Kw_iso8601', 'Kw_unix_ms', 'Kw_unix']);
    return {
      kind: 'DateFormat',
      format: t.image as 'iso8601' | 'unix_ms' | 'unix',
      pattern: undefined,
      tokens: undefined,
      loc,
    };
  }

  // ------------------------------------------------------------------ records, cursor, limits

  records(children: C.RecordsCstChildren, loc: Span): A.RecordsItem {
    if (children.Dollar !== undefined)
      return { kind: 'Records', path: { kind: 'RootPath', loc: this.tokenSpan(this.tok(children.Dollar)) }, loc };
    return { kind: 'Records', path: this.sub(children.path), loc };
  }

  split(children: C.SplitCstChildren, loc: Span): A.SplitItem {
    return { kind: 'Split', path: this.sub(children.path), loc };
  }

  cursor(children: C.CursorCstChildren, loc: Span): A.CursorBlock {
    const items = this.gather(children.cursorItem, 'the cursor block').single;
    return {
      kind: 'Cursor',
      max: this.opt(items, 'max'),
      nextPage: items.get('next_page')?.keyLoc,
      start: this.opt(items, 'start'),
      loc,
    };
  }

  cursorItem(children: C.CursorItemCstChildren, loc: Span): Item {
    const c = children;
    if (c.Kw_start !== undefined) {
      const start = c.Duration !== undefined ? this.dur(this.tok(c.Duration)) : this.sub<A.SettingRef>(c.settingRef);
      return this.item(this.tok(c.Kw_start), loc, start);
    }
    if (c.Kw_next_page !== undefined) return this.item(this.tok(c.Kw_next_page), loc, true);
    const max: A.CursorMax = { kind: 'CursorMax', path: this.sub(c.path), format: this.sub(c.dateFormat), loc };
    return this.item(this.tok(c.Kw_max), loc, max);
  }

  rateLimit(children: C.RateLimitCstChildren, loc: Span): A.RateLimitBlock {
    const items = this.gather(children.rateLimitItem, 'the rate_limit block').single;
    return {
      kind: 'RateLimit',
      retryAfter: items.get('retry_after')?.keyLoc,
      remaining: this.opt(items, 'remaining'),
      reset: this.opt(items, 'reset'),
      requestsPerSecond: this.opt(items, 'requests_per_second'),
      loc,
    };
  }

  rateLimitItem(children: C.RateLimitItemCstChildren, loc: Span): Item {
    const c = children;
    if (c.Kw_retry_after !== undefined) return this.item(this.tok(c.Kw_retry_after), loc, true);
    if (c.Kw_requests_per_second !== undefined)
      return this.item(this.tok(c.Kw_requests_per_second), loc, this.num(this.tok(c.NumberLiteral)));
    const kw = this.keyword(c, ['Kw_remaining', 'Kw_reset']);
    return this.item(kw, loc, this.str(this.tok(c.StringLiteral)));
  }

  retry(children: C.RetryCstChildren, loc: Span): A.RetryBlock {
    const items = this.gather(children.retryItem, 'the retry block').single;
    return { kind: 'Retry', attempts: this.opt(items, 'attempts'), backoff: this.opt(items, 'backoff'), loc };
  }

  retryItem(children: C.RetryItemCstChildren, loc: Span): Item {
    const c = children;
    if (c.Kw_attempts !== undefined)
      return this.item(this.tok(c.Kw_attempts), loc, this.int(this.tok(c.NumberLiteral), 'attempts'));
    const backoff: A.Backoff = {
      kind: 'Backoff',
      from: this.dur(this.tok(c.Duration, 0)),
      to: this.dur(this.tok(c.Duration, 1)),
      loc,
    };
    return this.item(this.tok(c.Kw_backoff), loc, backoff);
  }

  maxPages(children: C.MaxPagesCstChildren, loc: Span): A.MaxPagesItem {
    return { kind: 'MaxPages', value: this.int(this.tok(children.NumberLiteral), 'max_pages'), loc };
  }

  // ------------------------------------------------------------------ map

  map(children: C.MapCstChildren, loc: Span): A.MapBlock {
    const items = this.gather(
      children.mapItem,
      'the map block',
      new Set(['remove', 'rule', 'drop', 'geoip', 'asn', 'user_agent']),
    );
    return {
      kind: 'Map',
      namespace: this.opt(items.single, 'namespace'),
      unmapped: this.opt(items.single, 'unmapped'),
      original: this.opt(items.single, 'original'),
      id: this.opt(items.single, 'id'),
      remove: items.multi.filter((i) => i.key === 'remove').map((i) => i.value as A.RemoveOption),
      // A rule with several sources is one Rule per source (A.MapRule `source`).
      rules: items.multi.filter((i) => i.key === 'rule').flatMap((i) => i.value as A.MapRule[]),
      drop: items.multi.filter((i) => i.key === 'drop').map((i) => i.value as A.DropOption),
      dropEmpty: this.opt(items.single, 'drop empty'),
      enrich: items.multi
        .filter((i) => i.key === 'geoip' || i.key === 'asn' || i.key === 'user_agent')
        .map((i) => i.value as A.EnrichOption),
      loc,
    };
  }

  mapItem(children: C.MapItemCstChildren, loc: Span): Item {
    const c = children;
    if (c.rule !== undefined) {
      const rules = this.sub<A.MapRule[]>(c.rule);
      return { key: 'rule', keyLoc: rules[0]!.loc, loc, value: rules };
    }
    if (c.Kw_namespace !== undefined) return this.item(this.tok(c.Kw_namespace), loc, this.sub(c.path));
    if (c.Kw_unmapped !== undefined) {
      const mode = this.oneOf(this.tok(c.Name), ['keep', 'drop'] as const, 'unmapped');
      const value: A.UnmappedOption = { kind: 'Unmapped', mode, loc };
      return this.item(this.tok(c.Kw_unmapped), loc, value);
    }
    if (c.Kw_original !== undefined) {
      const value: A.OriginalOption = { kind: 'Original', when: this.sub(c.settingRef), loc };
      return this.item(this.tok(c.Kw_original), loc, value);
    }
    const enrichKeyword = c.Kw_geoip ?? c.Kw_asn ?? c.Kw_user_agent;
    if (enrichKeyword !== undefined) {
      const keyword = this.tok(enrichKeyword);
      const value: A.EnrichOption = {
        kind: 'Enrich',
        database: c.Kw_geoip !== undefined ? 'geoip' : c.Kw_asn !== undefined ? 'asn' : 'user_agent',
        keywordLoc: this.tokenSpan(keyword),
        field: this.sub(c.path),
        loc,
      };
      return this.item(keyword, loc, value);
    }
    if (c.Kw_drop !== undefined) {
      if (c.condition === undefined) {
        // `when` is a keyword, so the word here is never `when`: it is named for the message.
        this.oneOf(this.tok(c.Name), ['when', 'empty'] as const, 'drop');
        const value: A.DropEmptyOption = { kind: 'DropEmpty', loc };
        return { key: 'drop empty', keyLoc: this.tokenSpan(this.tok(c.Kw_drop)), loc, value };
      }
      const value: A.DropOption = { kind: 'Drop', when: this.sub(c.condition), loc };
      return this.item(this.tok(c.Kw_drop), loc, value);
    }
    if (c.Kw_id !== undefined) {
      const paths = this.sub<A.PathNode[]>(c.pathList);
      if (c.Kw_raw === undefined) {
        const value: A.IdOption = { kind: 'DocumentId', paths, loc };
        return this.item(this.tok(c.Kw_id), loc, value);
      }
      const raw = this.tokenSpan(this.tok(c.Kw_raw));
      if (paths.length > 1) {
        this.report(
          'E0004',
          '`id raw` takes one field path: the vendor id as is',
          { span: paths[1]!.loc, message: 'a second path' },
          [{ span: raw, message: 'the id is this one field' }],
          [
            'help: `id raw PATH` for the vendor id as is, or `id PATH, PATH` (no `raw`) for a SHA-256 of several fields',
          ],
        );
        throw INCOMPLETE;
      }
      const value: A.IdOption = { kind: 'DocumentId', paths, raw, loc };
      return this.item(this.tok(c.Kw_id), loc, value);
    }
    const when = c.condition === undefined ? undefined : this.sub<A.Condition>(c.condition);
    const value: A.RemoveOption = { kind: 'Remove', paths: this.sub(c.pathList), ...(when ? { when } : {}), loc };
    return this.item(this.tok(c.Kw_remove), loc, value);
  }

  pathList(children: C.PathListCstChildren): A.PathNode[] {
    return children.path.map((_, i) => this.sub<A.PathNode>(children.path, i));
  }

  /** One Rule per source (A.MapRule): `related.user += a, b` is two. */
  rule(children: C.RuleCstChildren, loc: Span): A.MapRule[] {
    const op = this.tok(children.Equals ?? children.PlusEq);
    const values = this.sub<A.RuleValue[]>(children.value);
    if (values.length > 1 && op.image !== '+=') {
      this.report(
        'E0004',
        'several sources need `+=`: each present value is appended',
        { span: this.tokenSpan(op), message: 'one value: `=` takes one source' },
        [],
        ['help: write `+=` on an array field, or keep one source'],
      );
      throw INCOMPLETE;
    }
    const destination = this.sub<A.PathNode>(children.path);
    const when = children.condition === undefined ? undefined : this.sub<A.Condition>(children.condition);
    const onError = children.Kw_on_error === undefined ? undefined : this.onError(this.tok(children.Name));
    return values.map((value, index) => ({
      kind: 'Rule',
      destination,
      op: op.image as '=' | '+=',
      opLoc: this.tokenSpan(op),
      value,
      when,
      ...(onError ? { onError } : {}),
      ...(values.length > 1 ? { source: { index, count: values.length } } : {}),
      loc,
    }));
  }

  /** The word after `on_error`: `ignore` or `record` (E0004 otherwise, with the closest). */
  private onError(t: IToken): A.OnErrorChoice {
    if (t.image === 'ignore' || t.image === 'record') return { value: t.image, loc: this.tokenSpan(t) };
    this.report(
      'E0004',
      `expected ignore or record after on_error, found "${t.image}"`,
      { span: this.tokenSpan(t), message: 'expected ignore or record' },
      [],
      didYouMean(t.image, ['ignore', 'record']),
    );
    throw INCOMPLETE;
  }

  /**
   * The rule's sources: transforms written after the last apply to each (`a, b | lowercase`); a
   * transform after another source is an error, as is a constant among several sources.
   */
  value(children: C.ValueCstChildren): A.RuleValue[] {
    const sources = children.valueSource.map((_, i) => this.sub<Source>(children.valueSource, i));
    if (sources.length === 1) return [this.single(sources[0]!)];
    for (const [i, src] of sources.entries()) {
      if (i < sources.length - 1 && src.transforms.length > 0) {
        this.report(
          'E0004',
          'transforms follow the last source and apply to every source',
          { span: src.transforms[0]!.loc, message: 'a transform before another source' },
          [],
          ['help: write the transforms once, after the last source: `+= a, b | lowercase`'],
        );
        throw INCOMPLETE;
      }
      const value = this.single({ ...src, transforms: [] });
      if (
        value.kind !== 'FieldValue' &&
        value.kind !== 'SelectValue' &&
        value.kind !== 'ElementsValue' &&
        value.kind !== 'CopyValue' &&
        value.kind !== 'CollectionTime'
      ) {
        this.report('E0004', 'each of several sources is a field path or copy(FIELD)', {
          span: value.loc,
          message: 'a constant among several sources',
        });
        throw INCOMPLETE;
      }
    }
    const shared = sources[sources.length - 1]!.transforms;
    return sources.map((src) => this.single({ ...src, transforms: shared }));
  }

  /** One source as a value: a literal, a field path with its transforms, or `copy(FIELD)`. */
  private single(src: Source): A.RuleValue {
    const ts = src.transforms;
    if (src.selection !== undefined) {
      if (src.path === undefined || src.call !== undefined) {
        this.report('E0004', 'a selection `[KEY == VALUE]` follows a field path, and is no function argument', {
          span: src.selection.loc,
          message: src.path === undefined ? 'after a number' : 'before a call',
        });
        throw INCOMPLETE;
      }
      const selection = src.selection;
      if ('fields' in selection) {
        return { kind: 'ElementsValue', array: src.path, fields: selection.fields, transforms: ts, loc: src.loc };
      }
      const { key, equals, rest } = selection;
      return {
        kind: 'SelectValue',
        array: src.path,
        key,
        equals,
        ...(rest ? { rest } : {}),
        transforms: ts,
        loc: src.loc,
      };
    }
    if (src.call !== undefined) {
      const callee = src.path;
      const name =
        callee?.segments.length === 1 && callee.segments[0]!.form === 'identifier'
          ? callee.segments[0]!.name
          : undefined;
      if (name !== 'copy') {
        this.report(
          'E0004',
          `unknown value function ${callee ? JSON.stringify(pathText(callee)) : 'on a number'}: the one function is copy(FIELD)`,
          { span: callee?.loc ?? src.loc, message: 'not copy' },
          [],
          didYouMean(name ?? '', ['copy']),
        );
        throw INCOMPLETE;
      }
      if (ts.length > 0) {
        this.report(
          'E0010',
          'copy(FIELD) takes no transforms: it copies the value an earlier rule wrote',
          { span: ts[0]!.loc, message: 'a transform after copy(...)' },
          [],
          ['help: put the transforms on the rule that writes the field'],
        );
        throw INCOMPLETE;
      }
      return { kind: 'CopyValue', field: src.call, loc: src.loc };
    }
    if (src.number !== undefined) {
      const n = src.number;
      if (ts.length > 0) {
        this.report('E0010', 'a transform needs a field path, found a number', {
          span: n.loc,
          message: 'a constant cannot be transformed',
        });
        throw INCOMPLETE;
      }
      return n;
    }
    const path = src.path!;
    const only = path.segments.length === 1 && ts.length === 0 ? path.segments[0] : undefined;
    if (only?.form === 'quoted') return { kind: 'String', value: only.name, loc: only.loc };
    if (only?.form === 'identifier' && (only.name === 'true' || only.name === 'false')) {
      return { kind: 'Boolean', value: only.name === 'true', loc: only.loc };
    }
    if (only?.form === 'identifier' && only.name === COLLECTION_TIME) return { kind: 'CollectionTime', loc: only.loc };
    return { kind: 'FieldValue', path, transforms: ts, loc: src.loc };
  }

  valueSource(children: C.ValueSourceCstChildren, loc: Span): Source {
    const transforms = (children.transform ?? []).map((_, i) =>
      this.sub<A.Transform | undefined>(children.transform, i),
    );
    if (transforms.some((t) => t === undefined)) throw INCOMPLETE;
    const ts = transforms as A.Transform[];
    const number = children.NumberLiteral !== undefined ? this.num(this.tok(children.NumberLiteral)) : undefined;
    const paths = (children.path ?? []).map((_, i) => this.sub<A.PathNode>(children.path, i));
    const hasCall = children.LParen !== undefined;
    // Without a number the first path is the value (or the callee); the path in parentheses is the last.
    const path = number === undefined ? paths[0] : undefined;
    const call = hasCall ? paths[paths.length - 1] : undefined;
    const selection = children.selection === undefined ? undefined : this.sub<Selection>(children.selection);
    // The span of the value without its transforms for a FieldValue is the whole source, as before.
    return { number, path, call, ...(selection ? { selection } : {}), transforms: ts, loc };
  }

  selection(children: C.SelectionCstChildren, loc: Span): Selection {
    if (children.elementField !== undefined) {
      return { fields: children.elementField.map((_, i) => this.sub<A.ElementField>(children.elementField, i)), loc };
    }
    const key = this.sub<A.PathNode>(children.key);
    const equals = this.sub<A.Literal>(children.literal);
    const rest = children.rest === undefined ? undefined : this.sub<A.PathNode>(children.rest);
    return { key, equals, ...(rest ? { rest } : {}), loc };
  }

  transform(children: C.TransformCstChildren, loc: Span): A.Transform | undefined {
    const nameTok = this.tok(children.Name);
    const name = nameTok.image;
    const hasParens = children.LParen !== undefined;
    const args = (children.transformArg ?? []).map((n) => this.node([n]).children);
    const bad = (message: string, label: string): undefined => {
      this.report('E0010', message, { span: loc, message: label });
      return undefined;
    };
    const noArgs = (): string | undefined => (hasParens ? `"${name}" takes no arguments` : undefined);
    if (CONVERSION_TYPES.has(name)) {
      const e = noArgs();
      return e === undefined
        ? { kind: 'ConvertTransform', to: name as A.ConvertType, loc }
        : bad(e, 'remove the parentheses');
    }
    if (name === 'lowercase' || name === 'uppercase') {
      const e = noArgs();
      return e === undefined ? { kind: 'CaseTransform', to: name, loc } : bad(e, 'remove the parentheses');
    }
    if (name === 'hash') {
      const e = noArgs();
      return e === undefined ? { kind: 'HashTransform', loc } : bad(e, 'remove the parentheses');
    }
    if (name === 'json') {
      const e = noArgs();
      return e === undefined ? { kind: 'JsonTransform', loc } : bad(e, 'remove the parentheses');
    }
    if (name === 'date') {
      if (args.length === 0)
        return bad(
          'date needs at least one format: date(iso8601), date(unix_ms), date(unix) or date("dd/MM/yyyy")',
          'no format given',
        );
      const formats: A.DateFormatNode[] = [];
      for (const [i, a] of args.entries()) {
        const argNode = this.node(children.transformArg, i);
        const argLoc = this.nodeSpan(argNode);
        if (a.StringLiteral !== undefined) {
          formats.push(patternFormat(this.str(this.tok(a.StringLiteral)).value, argLoc));
          continue;
        }
        const word = a.Name?.[0]?.image;
        if (word === 'iso8601' || word === 'unix_ms' || word === 'unix') {
          formats.push({ kind: 'DateFormat', format: word, pattern: undefined, tokens: undefined, loc: argLoc });
          continue;
        }
        this.report(
          'E0010',
          `expected a date format (iso8601, unix_ms, unix or a pattern string like "dd/MM/yyyy"), found "${word ?? a.NumberLiteral?.[0]?.image ?? ''}"`,
          { span: argLoc, message: 'not a date format' },
        );
        return undefined;
      }
      return { kind: 'DateTransform', formats, loc };
    }
    if (name === 'lookup') {
      const t = args.length === 1 ? args[0]?.Name?.[0] : undefined;
      if (t === undefined) return bad('lookup takes one table name: lookup(TABLE)', 'expected lookup(TABLE)');
      return { kind: 'LookupTransform', table: this.name(this.tok([t])), loc };
    }
    if (name === 'mask') {
      const t = args.length === 1 ? args[0]?.NumberLiteral?.[0] : undefined;
      if (t === undefined) return bad('mask takes the number of characters to keep: mask(4)', 'expected mask(N)');
      return { kind: 'MaskTransform', keep: this.int(this.tok([t]), 'mask'), loc };
    }
    if (name === 'extract') {
      const t = args.length === 1 ? args[0]?.StringLiteral?.[0] : undefined;
      if (t === undefined)
        return bad('extract takes one pattern string: extract("id=([0-9]+)")', 'expected extract("REGEX")');
      const pattern = this.str(this.tok([t]));
      return { kind: 'ExtractTransform', pattern, regex: parseRegex(pattern.value), loc };
    }
    if (name === 'kv') {
      if (!hasParens) return { kind: 'KvTransform', loc };
      const f = args.length === 2 ? args[0]?.StringLiteral?.[0] : undefined;
      const v = args.length === 2 ? args[1]?.StringLiteral?.[0] : undefined;
      if (f === undefined || v === undefined)
        return bad(
          'kv takes no arguments (pairs split on a space and on =) or two separator strings: kv(";", ":")',
          'expected kv or kv("FIELD_SEP", "VALUE_SEP")',
        );
      return {
        kind: 'KvTransform',
        fieldSeparator: this.str(this.tok([f])),
        valueSeparator: this.str(this.tok([v])),
        loc,
      };
    }
    if (name === 'split') {
      const t = args.length === 1 ? args[0]?.StringLiteral?.[0] : undefined;
      if (t === undefined) return bad('split takes one separator string: split(",")', 'expected split("SEP")');
      return { kind: 'SplitTransform', separator: this.str(this.tok([t])), loc };
    }
    this.report(
      'E0010',
      `expected ${transformsPhrase()}, found "${name}"`,
      { span: loc, message: 'unknown transform' },
      [],
      didYouMean(name.toLowerCase(), TRANSFORM_NAMES),
    );
    return undefined;
  }

  transformArg(): never {
    // Arguments are read by `transform`, which knows what each transform accepts.
    throw new Error('transformArg is read by transform');
  }

  condition(children: C.ConditionCstChildren, loc: Span): A.Condition {
    const operands = children.andCondition.map((_, i) => this.sub<A.Condition>(children.andCondition, i));
    return operands.length === 1 ? operands[0]! : { kind: 'OrCondition', operands, loc };
  }

  andCondition(children: C.AndConditionCstChildren, loc: Span): A.Condition {
    const operands = children.notCondition.map((_, i) => this.sub<A.Condition>(children.notCondition, i));
    return operands.length === 1 ? operands[0]! : { kind: 'AndCondition', operands, loc };
  }

  notCondition(children: C.NotConditionCstChildren, loc: Span): A.Condition {
    let condition = this.sub<A.Condition>(children.conditionAtom);
    const nots = children.Kw_not ?? [];
    for (let i = nots.length - 1; i >= 0; i--) {
      const start = this.tokenSpan(this.tok(nots, i));
      const end = loc.offset + loc.length;
      const span: Span = { ...start, length: end - start.offset };
      // `not exists p` (no parentheses) keeps its own node, as before `not` took any condition.
      condition =
        condition.kind === 'ExistsCondition' && !condition.negated && !this.parenthesized(children)
          ? { ...condition, negated: true, loc: span }
          : { kind: 'NotCondition', operand: condition, loc: span };
    }
    return condition;
  }

  /** True when the `not`s of a `NOT` apply to a parenthesised condition. */
  private parenthesized(children: C.NotConditionCstChildren): boolean {
    const atom = children.conditionAtom[0];
    return atom !== undefined && atom.children.LParen !== undefined;
  }

  conditionAtom(children: C.ConditionAtomCstChildren, loc: Span): A.Condition {
    const c = children;
    if (c.condition !== undefined) return this.sub(c.condition);
    if (c.Kw_exists !== undefined) return { kind: 'ExistsCondition', negated: false, path: this.sub(c.path), loc };
    if (c.settingRef !== undefined) return { kind: 'SettingCondition', setting: this.sub(c.settingRef), loc };
    const path = this.sub<A.PathNode>(c.conditionPath);
    const test = c.conditionTest![0]!.children;
    if (test.Kw_in !== undefined) {
      const values = (test.literal ?? []).map((_, i) => this.sub<A.Literal>(test.literal, i));
      return { kind: 'InCondition', path, values, loc };
    }
    const textOp = test.Kw_starts_with ?? test.Kw_ends_with ?? test.Kw_contains;
    if (textOp !== undefined) {
      const op = this.tok(textOp).image as A.TextCondition['op'];
      return { kind: 'TextCondition', path, op, value: this.str(this.tok(test.StringLiteral)), loc };
    }
    const op = this.tok(test.EqEq ?? test.NotEq ?? test.Less ?? test.LessEq ?? test.Greater ?? test.GreaterEq);
    if (test.nowTime !== undefined) {
      const now = test.nowTime[0]!;
      const nowLoc = this.nodeSpan(now);
      const offset = this.nowOffset(now.children);
      const formats = (now.children.dateFormat ?? []).map((_, i) =>
        this.sub<A.DateFormatNode>(now.children.dateFormat, i),
      );
      const compareOp = op.image as A.CompareOp;
      return { kind: 'NowCondition', path, op: compareOp, ...(offset ? { offset } : {}), formats, nowLoc, loc };
    }
    return { kind: 'CompareCondition', path, op: op.image as A.CompareOp, value: this.sub(test.literal), loc };
  }

  /** The offset of `now + 1h`, `now - 30d` or `now-30d` (one Duration token `-30d`), if any. */
  private nowOffset(children: C.NowTimeCstChildren): A.NowCondition['offset'] {
    if (children.Duration === undefined) return undefined;
    const token = this.tok(children.Duration);
    const signToken = children.Plus ?? children.Minus;
    if (signToken === undefined) {
      if (!token.image.startsWith('-')) {
        this.report(
          'E0004',
          `expected "+" or "-" before ${token.image}`,
          { span: this.tokenSpan(token), message: 'an offset needs its sign' },
          [],
          [`help: write now + ${token.image} or now - ${token.image}`],
        );
        throw INCOMPLETE;
      }
      // `now-30d`: the sign is the token's first character.
      const unsigned: IToken = { ...token, image: token.image.slice(1), startOffset: token.startOffset + 1 };
      if (unsigned.startColumn !== undefined) (unsigned as { startColumn: number }).startColumn += 1;
      return { sign: '-', duration: this.dur(unsigned) };
    }
    return { sign: this.tok(signToken).image as '+' | '-', duration: this.dur(token) };
  }

  nowTime(): never {
    // Read by conditionAtom with its test.
    throw new Error('nowTime is read by conditionAtom');
  }

  conditionTest(): never {
    // Read by conditionAtom, which knows the path it tests.
    throw new Error('conditionTest is read by conditionAtom');
  }

  // ------------------------------------------------------------------ record schema

  record(children: C.RecordCstChildren, loc: Span): A.RecordBlock {
    return { kind: 'Record', fields: this.each<A.RecordField>(children.recordField), loc };
  }

  recordField(children: C.RecordFieldCstChildren, loc: Span): A.RecordField {
    const path = this.sub<A.PathNode>(children.path);
    const types = children.fieldType.map((_, i) => this.sub<A.FieldTypeNode>(children.fieldType, i));
    const modifiers = this.gather(children.fieldModifier, `the record field ${pathText(path)}`).single;
    const format = modifiers.get('format');
    return {
      kind: 'RecordField',
      path,
      types,
      optional: modifiers.get('optional')?.keyLoc,
      nullable: modifiers.get('nullable')?.keyLoc,
      formats: (format?.value as A.FieldFormatNode[] | undefined) ?? [],
      formatLoc: format?.loc,
      loc,
    };
  }

  fieldType(children: C.FieldTypeCstChildren, loc: Span): A.FieldTypeNode {
    const word = this.tok(children.Name);
    const name = word.image;
    if (!isFieldTypeName(name)) {
      this.report(
        'E0004',
        `expected ${FIELD_TYPES_PHRASE}, found "${name}"`,
        { span: this.tokenSpan(word), message: 'not a field type' },
        [],
        didYouMean(name.toLowerCase(), FIELD_TYPE_NAMES),
      );
      throw INCOMPLETE;
    }
    if (children.fieldType === undefined) return { kind: 'FieldType', name, loc };
    const of = this.tok(children.Kw_of);
    if (name !== 'array') {
      this.report(
        'E0004',
        `only array takes "of", found "${name} of"`,
        { span: this.tokenSpan(of), message: `${name} has no element type` },
        [],
        ['help: write `array of TYPE` for an array whose elements are all of TYPE'],
      );
      throw INCOMPLETE;
    }
    return { kind: 'FieldType', name, items: this.sub<A.FieldTypeNode>(children.fieldType), loc };
  }

  fieldModifier(children: C.FieldModifierCstChildren, loc: Span): Item {
    const c = children;
    if (c.Kw_optional !== undefined) return this.item(this.tok(c.Kw_optional), loc, true);
    if (c.Kw_nullable !== undefined) return this.item(this.tok(c.Kw_nullable), loc, true);
    const formats = (c.fieldFormat ?? []).map((_, i) => this.sub<A.FieldFormatNode>(c.fieldFormat, i));
    return this.item(this.tok(c.Kw_format), loc, formats);
  }

  fieldFormat(children: C.FieldFormatCstChildren, loc: Span): A.FieldFormatNode {
    if (children.StringLiteral !== undefined) {
      return patternFormat(this.str(this.tok(children.StringLiteral)).value, loc);
    }
    const word = this.tok(children.Name);
    const name = word.image;
    if (name === 'ip') return { kind: 'IpFormat', loc };
    if (name === 'iso8601' || name === 'unix_ms' || name === 'unix')
      return { kind: 'DateFormat', format: name, pattern: undefined, tokens: undefined, loc };
    const notes = isFieldTypeName(name)
      ? [`help: "format" here modifies the field before it; a field named format is written quoted: "format" ${name}`]
      : didYouMean(name.toLowerCase(), FIELD_FORMAT_NAMES);
    this.report(
      'E0004',
      `expected ${FIELD_FORMATS_PHRASE}, found "${name}"`,
      { span: this.tokenSpan(word), message: 'not a format' },
      [],
      notes,
    );
    throw INCOMPLETE;
  }

  // ------------------------------------------------------------------ paths

  path(children: C.PathCstChildren, loc: Span): A.PathNode {
    return {
      kind: 'Path',
      segments: children.segment.map((_, i) => this.sub<A.PathSegment>(children.segment, i)),
      loc,
    };
  }

  conditionPath(children: C.ConditionPathCstChildren, loc: Span): A.PathNode {
    let first: A.PathSegment;
    if (children.StringLiteral !== undefined) {
      const t = this.tok(children.StringLiteral);
      first = { kind: 'PathSegment', name: this.str(t).value, form: 'quoted', loc: this.tokenSpan(t) };
    } else if (children.AtName !== undefined) {
      const t = this.tok(children.AtName);
      first = { kind: 'PathSegment', name: t.image, form: 'at', loc: this.tokenSpan(t) };
    } else if (children.Duration !== undefined) {
      const t = this.digitName(this.tok(children.Duration), 'a field path segment');
      first = { kind: 'PathSegment', name: t.value, form: 'identifier', loc: t.loc };
    } else {
      const t = this.tok(children.ConditionName);
      first = { kind: 'PathSegment', name: t.image, form: 'identifier', loc: this.tokenSpan(t) };
    }
    const rest = (children.segment ?? []).map((_, i) => this.sub<A.PathSegment>(children.segment, i));
    return { kind: 'Path', segments: [first, ...rest], loc };
  }

  elementField(children: C.ElementFieldCstChildren, loc: Span): A.ElementField {
    const name = this.sub<A.PathSegment>(children.name);
    const from = children.from === undefined ? undefined : this.sub<A.PathNode>(children.from);
    return { kind: 'ElementField', name, ...(from ? { from } : {}), loc };
  }

  segment(children: C.SegmentCstChildren, loc: Span): A.PathSegment {
    if (children.StringLiteral !== undefined)
      return { kind: 'PathSegment', name: this.str(this.tok(children.StringLiteral)).value, form: 'quoted', loc };
    if (children.AtName !== undefined)
      return { kind: 'PathSegment', name: this.tok(children.AtName).image, form: 'at', loc };
    if (children.Duration !== undefined) {
      const name = this.digitName(this.tok(children.Duration), 'a field path segment');
      return { kind: 'PathSegment', name: name.value, form: 'identifier', loc: name.loc };
    }
    return { kind: 'PathSegment', name: this.tok(children.Name).image, form: 'identifier', loc };
  }
}

/** A `pattern` date format node: the text and its tokens, cut once here (`./date-pattern.ts`). */
function patternFormat(pattern: string, loc: Span): A.DateFormatNode {
  return { kind: 'DateFormat', format: 'pattern', pattern, tokens: tokenizeDatePattern(pattern), loc };
}
