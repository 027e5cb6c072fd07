/**
 * Reads Logstash config text (the grammar subset mapc emits: plugins, attributes with string,
 * number, bareword, array and hash values, if / else if / else with field references, string,
 * number and regex operands, `== != =~ !~ in`, `not in`, `!`, `and`, `or` and parentheses) back into
 * the evaluator's own config AST (./ast.ts), so that the evaluator runs the generated *text*.
 * String literals are taken verbatim between their quotes (`config.support_escapes: false`, the
 * default: https://www.elastic.co/guide/en/logstash/8.17/logstash-settings-file.html).
 *
 * @module
 */
import type * as M from './ast.ts';

type Attribute = M.Attribute;
type Branch = M.Branch;
type Condition = M.Condition;
type PipelineConfig = M.PipelineConfig;
type Plugin = M.Plugin;
type Rvalue = M.Rvalue;
type Section = M.Section;
type Statement = M.Statement;
type Value = M.Value;

type Token =
  | { t: 'word'; v: string }
  | { t: 'string'; v: string }
  | { t: 'number'; v: number }
  | { t: 'regex'; v: string }
  | { t: 'field'; v: string }
  | { t: 'punct'; v: string };

/** A sticky regex's match at `i` (no copy of the rest of the text: tokenizing stays linear). */
function at(re: RegExp, text: string, i: number): RegExpExecArray | null {
  re.lastIndex = i;
  return re.exec(text);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let lastSignificant: Token | undefined;
  const push = (tok: Token) => {
    tokens.push(tok);
    lastSignificant = tok;
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw new Error(`unterminated string at ${i}`);
      push({ t: 'string', v: text.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    if (c === '[') {
      // A field reference `[a][b]` (selector_element: no bracket, comma or quote; no line break)
      // vs an array `[` value list.
      const m = at(/(\[[^[\],"'\r\n]+\])+/y, text, i);
      const prev = lastSignificant;
      const valueContext = prev?.t === 'punct' && (prev.v === '=>' || prev.v === ',');
      if (m && !valueContext) {
        push({ t: 'field', v: m[0] });
        i += m[0].length;
        continue;
      }
    }
    if (c === '/' && lastSignificant?.t === 'punct' && (lastSignificant.v === '=~' || lastSignificant.v === '!~')) {
      let j = i + 1;
      while (j < text.length && text[j] !== '/') j += text[j] === '\\' ? 2 : 1;
      push({ t: 'regex', v: text.slice(i + 1, j) });
      i = j + 1;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (['=>', '==', '!=', '=~', '!~'].includes(two)) {
      push({ t: 'punct', v: two });
      i += 2;
      continue;
    }
    if ('{}[](),!'.includes(c)) {
      push({ t: 'punct', v: c });
      i++;
      continue;
    }
    const num = at(/-?[0-9]+(\.[0-9]+)?/y, text, i);
    if (num) {
      push({ t: 'number', v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const word = at(/[A-Za-z_][A-Za-z0-9_@]*/y, text, i);
    if (word) {
      push({ t: 'word', v: word[0] });
      i += word[0].length;
      continue;
    }
    throw new Error(`unexpected ${JSON.stringify(c)} at ${i}`);
  }
  return tokens;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }
  private next(): Token {
    const tok = this.tokens[this.i++];
    if (!tok) throw new Error('unexpected end of config');
    return tok;
  }
  private isPunct(v: string): boolean {
    const t = this.peek();
    return t?.t === 'punct' && t.v === v;
  }
  private isWord(v: string): boolean {
    const t = this.peek();
    return t?.t === 'word' && t.v === v;
  }
  private expect(v: string): void {
    const t = this.next();
    if (!(t.t === 'punct' && t.v === v)) throw new Error(`expected ${v}, got ${JSON.stringify(t)}`);
  }

  config(): PipelineConfig {
    const sections: Section[] = [];
    while (this.peek()) {
      const name = this.next();
      if (name.t !== 'word' || !['input', 'filter', 'output'].includes(name.v))
        throw new Error(`expected a section, got ${JSON.stringify(name)}`);
      this.expect('{');
      sections.push({ kind: name.v as Section['kind'], body: this.statements() });
      this.expect('}');
    }
    return { header: [], sections };
  }

  statements(): Statement[] {
    const out: Statement[] = [];
    while (!this.isPunct('}')) out.push(this.isWord('if') ? this.conditional() : this.plugin());
    return out;
  }

  private conditional(): Statement {
    const branches: Branch[] = [];
    this.next(); // if
    branches.push(this.branch());
    let otherwise: Statement[] | undefined;
    while (this.isWord('else')) {
      this.next();
      if (this.isWord('if')) {
        this.next();
        branches.push(this.branch());
        continue;
      }
      this.expect('{');
      otherwise = this.statements();
      this.expect('}');
    }
    return otherwise ? { kind: 'if', branches, otherwise } : { kind: 'if', branches };
  }

  private branch(): Branch {
    const condition = this.orExpr();
    this.expect('{');
    const body = this.statements();
    this.expect('}');
    return { condition, body };
  }

  private orExpr(): Condition {
    const parts = [this.andExpr()];
    while (this.isWord('or')) {
      this.next();
      parts.push(this.andExpr());
    }
    return parts.length === 1 ? (parts[0] as Condition) : { kind: 'or', conditions: parts };
  }

  private andExpr(): Condition {
    const parts = [this.unary()];
    while (this.isWord('and')) {
      this.next();
      parts.push(this.unary());
    }
    return parts.length === 1 ? (parts[0] as Condition) : { kind: 'and', conditions: parts };
  }

  private unary(): Condition {
    if (this.isPunct('!')) {
      this.next();
      return { kind: 'not', condition: this.unary() };
    }
    if (this.isPunct('(')) {
      this.next();
      const c = this.orExpr();
      this.expect(')');
      return c;
    }
    const left = this.rvalue();
    const op = this.peek();
    if (op?.t === 'punct' && (op.v === '==' || op.v === '!=')) {
      this.next();
      return { kind: 'compare', op: op.v, left, right: this.rvalue() };
    }
    if (op?.t === 'punct' && (op.v === '=~' || op.v === '!~')) {
      this.next();
      const right = this.rvalue();
      if (right.kind !== 'regex') throw new Error('=~ needs a regex');
      return { kind: 'match', op: op.v, left, right };
    }
    // lscl_grammar.treetop (logstash v8.15.0): in_operator = "in" / "not " "in".
    if (op?.t === 'word' && op.v === 'in') {
      this.next();
      return { kind: 'in', op: 'in', left, right: this.rvalue() };
    }
    if (op?.t === 'word' && op.v === 'not') {
      this.next();
      const word = this.next();
      if (!(word.t === 'word' && word.v === 'in')) throw new Error('expected in after not');
      return { kind: 'in', op: 'not in', left, right: this.rvalue() };
    }
    if (left.kind !== 'field') throw new Error('a bare operand must be a field reference');
    return { kind: 'truthy', field: left };
  }

  private rvalue(): Rvalue {
    const t = this.next();
    switch (t.t) {
      case 'field':
        return { kind: 'field', ref: t.v };
      case 'string':
        return { kind: 'string', text: t.v };
      case 'number':
        return { kind: 'number', value: t.v };
      case 'regex':
        return { kind: 'regex', source: t.v };
      default:
        throw new Error(`unexpected operand ${JSON.stringify(t)}`);
    }
  }

  private plugin(): Plugin {
    const name = this.next();
    if (name.t !== 'word') throw new Error(`expected a plugin name, got ${JSON.stringify(name)}`);
    this.expect('{');
    const attributes: Attribute[] = [];
    while (!this.isPunct('}')) {
      const attr = this.next();
      if (attr.t !== 'word') throw new Error(`expected an attribute name, got ${JSON.stringify(attr)}`);
      this.expect('=>');
      attributes.push({ name: attr.v, value: this.value() });
    }
    this.expect('}');
    return { kind: 'plugin', name: name.v, attributes };
  }

  private value(): Value {
    const t = this.next();
    if (t.t === 'string') return { kind: 'string', text: t.v };
    if (t.t === 'number') return { kind: 'number', value: t.v };
    if (t.t === 'word') return { kind: 'bareword', word: t.v };
    if (t.t === 'punct' && t.v === '[') {
      const items: Value[] = [];
      while (!this.isPunct(']')) {
        items.push(this.value());
        if (this.isPunct(',')) this.next();
      }
      this.expect(']');
      return { kind: 'array', items };
    }
    if (t.t === 'punct' && t.v === '{') {
      const entries: { key: string; value: Value }[] = [];
      while (!this.isPunct('}')) {
        const k = this.next();
        if (k.t !== 'string' && k.t !== 'word') throw new Error('expected a hash key');
        this.expect('=>');
        entries.push({ key: String(k.v), value: this.value() });
      }
      this.expect('}');
      return { kind: 'hash', entries };
    }
    throw new Error(`unexpected value ${JSON.stringify(t)}`);
  }
}

/** Parses a whole pipeline. @throws Error with the offending token */
export function parseConfig(text: string): PipelineConfig {
  return new Parser(tokenize(text)).config();
}
