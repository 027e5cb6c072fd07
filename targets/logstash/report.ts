/**
 * Tier-2 type failures reported per block (compiler/ir.ts, "Record schemas: two tiers", 1.). A lean
 * rule that can fail only by the type of its source (./direct.ts `writeOrFail` over the type token
 * alone: a copy, rename, lookup, lowercase; or two such rules of one source, ./fuse.ts) reads as
 *
 * ```
 * if <token> == "string" { <write> } else if <token> != "null" { <add its texts to the errors> }
 * ```
 *
 * Its failure is a function of its token, which the stream's type check (the one `ruby` filter,
 * ./probe.ts) wrote before the rules and nothing changes after. So the type check can compute those
 * texts itself: for a *block* of such rules, with no other rule between them that may append an
 * error, the texts of the rules whose token is neither allowed nor `null`, in rule order, are the
 * texts the `else if` branches would have added, in the same order. The branches go; one merge at
 * the end of the block appends the block's texts (or, for a block before any other rule that may
 * fail, the type check writes them straight into the collected errors). A block of one rule after
 * another failing rule keeps its branch (the merge would cost as many lines).
 *
 * `error.message` is therefore unchanged: the same texts in the same order, always appended
 * through the collected errors of ./lean.ts (`ERRORS`, merged after the rules).
 *
 * @module
 */
import type { FieldPath } from '../../compiler/ir.ts';
import { field, ifThen, strHash, type Branch, type Condition, type Statement, type Value } from './model.ts';
import { comment, rubyFieldString, rubyString, type FieldRef } from './quote.ts';
import { ERRORS } from './lean.ts';
import { fuseAdjacent, writtenFields } from './fuse.ts';
import { META, mutate, ref } from './scratch.ts';

/** One rule (or fused rules of one source) failing by type only: its token, the tokens it allows, its texts. */
export interface TypeFailure {
  readonly token: FieldRef;
  readonly allowed: readonly string[];
  readonly texts: readonly string[];
}

/** The texts the type check collects for one block, into `into` (a block field, or {@link ERRORS}). */
export interface BlockReport {
  readonly into: FieldRef;
  readonly failures: readonly TypeFailure[];
}

/** Where the type check leaves the texts of block `k`. */
const blockField = (k: number): FieldPath => [...META, 'tier2', `b${k}`];

const TYPE = ref([...META, 'type']);
const TOKENS = `${TYPE}[`;
/** Whether a written field is a type token or above them (`[@metadata][mapc]` removed, say). */
const isTokenWrite = (f: string | undefined): boolean => f === undefined || f.startsWith(TYPE) || TYPE.startsWith(f);

/**
 * The rules' statements (after ./fuse.ts) with the `else if` branches of type-only failures
 * replaced by block reports, and the reports the type check must compute. Only for a plan that
 * collects errors (./lean.ts `deferErrors`): every failing rule then appends through `add_field`
 * of {@link ERRORS}, which is how a statement that may append an error is recognised.
 */
export function reportTypeFailures(body: readonly Statement[]): { body: Statement[]; reports: BlockReport[] } {
  const errorsRef = ref(ERRORS);
  const out: Statement[] = [];
  const reports: BlockReport[] = [];
  let first = true; // no statement before could have appended an error
  let stable = true; // no statement before wrote a type token
  let pending: { original: Statement; stripped: Statement; failure?: TypeFailure }[] = [];

  const flush = (): void => {
    const failures = pending.flatMap((p) => (p.failure ? [p.failure] : []));
    const worth = failures.length > 0 && (first || failures.length > 1);
    if (!worth) for (const p of pending) out.push(p.original);
    else {
      for (const p of regroup(pending.map((p) => p.stripped))) out.push(p);
      if (first) reports.push({ into: errorsRef, failures });
      else {
        const into = ref(blockField(reports.length));
        reports.push({ into, failures });
        out.push(
          ifThen({ kind: 'truthy', field: field(into) }, [mutate(['merge', strHash([[errorsRef, into]])])], undefined, [
            comment`Tier 2: the texts of the rules above whose value has a type the schema does not allow, in rule order.`,
          ]),
        );
      }
    }
    if (failures.length > 0) first = false;
    pending = [];
  };

  for (const s of body) {
    const failure = stable ? typeOnly(s, errorsRef) : undefined;
    if (failure) {
      pending.push({
        original: s,
        stripped: { ...(s as Statement & { kind: 'if' }), branches: [firstBranch(s)] },
        failure,
      });
      continue;
    }
    const appends = JSON.stringify(s).includes(errorsRef);
    const written = writtenFields(s);
    const writesTokens = written.some(isTokenWrite);
    if (!appends && !writesTokens) {
      pending.push({ original: s, stripped: s });
      continue;
    }
    flush();
    out.push(s);
    if (appends) first = false;
    if (writesTokens) stable = false;
  }
  flush();
  return { body: out, reports };
}

/**
 * A block's statements, each test of a token moved up next to the last earlier test of the same
 * token when it commutes with every statement in between (neither writes a field the other reads
 * or writes), then adjacent tests of one token fused (./fuse.ts). Inside a block no test has an
 * `else` (the type check reports the failures, whatever the order of the writes), so this runs the
 * same writes on every record.
 */
function regroup(block: readonly Statement[]): Statement[] {
  const out: Statement[] = [];
  for (const s of block) {
    let at = out.length;
    if (s.kind === 'if' && !s.otherwise && s.branches.length === 1) {
      for (let k = out.length - 1; k >= 0; k--) {
        const t = out[k] as Statement;
        if (t.kind === 'if' && !t.otherwise && t.branches.length === 1 && sameTest(t, s)) {
          at = k + 1;
          break;
        }
        if (!commute(t, s)) break;
      }
    }
    out.splice(at, 0, s);
  }
  return fuseAdjacent(out);
}

const sameTest = (a: Statement & { kind: 'if' }, b: Statement & { kind: 'if' }): boolean =>
  JSON.stringify(a.branches[0]?.condition) === JSON.stringify(b.branches[0]?.condition);

/** Every field reference a statement mentions (conditions, options, `%{...}` in texts): what it may read. */
function mentioned(s: Statement): string[] {
  return JSON.stringify(s).match(/(?:\[[^\]"\\]+\])+/g) ?? [];
}

const related = (p: string, q: string): boolean => p === q || p.startsWith(q) || q.startsWith(p);

/** Whether two statements give the same result in either order (conservatively). */
function commute(a: Statement, b: Statement): boolean {
  const wa = writtenFields(a);
  const wb = writtenFields(b);
  if (wa.some((f) => f === undefined) || wb.some((f) => f === undefined)) return false;
  const ma = mentioned(a);
  const mb = mentioned(b);
  const hits = (ws: (string | undefined)[], ms: string[]): boolean =>
    ws.some((w) => ms.some((m) => related(w as string, m)));
  return !hits(wa, mb) && !hits(wb, ma);
}

const firstBranch = (s: Statement): Branch => (s as Statement & { kind: 'if' }).branches[0] as Branch;

/** The token and allowed words of `<token> == "a"` or an `or` of such tests of one token. */
function typeTest(c: Condition): { token: string; allowed: string[] } | undefined {
  const tests = c.kind === 'or' ? c.conditions : [c];
  let token: string | undefined;
  const allowed: string[] = [];
  for (const t of tests) {
    if (t.kind !== 'compare' || t.op !== '==' || t.left.kind !== 'field' || t.right.kind !== 'string') return undefined;
    if (token !== undefined && token !== t.left.ref) return undefined;
    token = t.left.ref;
    allowed.push(t.right.text);
  }
  return token === undefined ? undefined : { token, allowed };
}

/**
 * The type-only failure of `s`, if it is one: `if <type test> { body } else if <token> != "null" {
 * mutate { add_field => { ERRORS => texts } } }`, whose body appends no error and writes no token,
 * and whose texts can stand in a single-quoted Ruby string (no quote, no backslash).
 */
function typeOnly(s: Statement, errorsRef: FieldRef): TypeFailure | undefined {
  if (s.kind !== 'if' || s.otherwise || s.branches.length !== 2) return undefined;
  const [ok, fail] = s.branches as [Branch, Branch];
  const test = typeTest(ok.condition);
  if (!test || !test.token.startsWith(TOKENS)) return undefined;
  const c = fail.condition;
  if (c.kind !== 'compare' || c.op !== '!=' || c.left.kind !== 'field' || c.left.ref !== test.token) return undefined;
  if (c.right.kind !== 'string' || c.right.text !== 'null') return undefined;
  const texts = errorTexts(fail.body, errorsRef);
  if (!texts || texts.some((t) => /['"\\]/.test(t))) return undefined;
  if (JSON.stringify(ok.body).includes(errorsRef)) return undefined;
  if (ok.body.some((b) => writtenFields(b).some(isTokenWrite))) return undefined;
  return { token: test.token as FieldRef, allowed: test.allowed, texts };
}

/** The texts of a body that is one mutate adding only texts to {@link ERRORS}. */
function errorTexts(body: readonly Statement[], errorsRef: string): string[] | undefined {
  const [m] = body;
  if (body.length !== 1 || m?.kind !== 'plugin' || m.name !== 'mutate' || m.attributes.length !== 1) return undefined;
  const a = m.attributes[0];
  if (a?.name !== 'add_field' || a.value.kind !== 'hash' || a.value.entries.length !== 1) return undefined;
  const entry = a.value.entries[0];
  if (entry?.key !== errorsRef) return undefined;
  const items: readonly Value[] = entry.value.kind === 'array' ? entry.value.items : [entry.value];
  const texts: string[] = [];
  for (const v of items) {
    if (v.kind !== 'string') return undefined;
    texts.push(v.text);
  }
  return texts;
}

/**
 * The Ruby of the reports, appended to the type check's code after the tokens are set: per block,
 * `mapc_e = []`, then per rule `mapc_e.push('<text>', ...) unless ['<allowed>', ..., 'null'].include?(event.get('<token>'))`,
 * then `event.set('<into>', mapc_e) unless mapc_e.empty?`, `; `-joined. The texts are
 * single-quoted Ruby strings (no quote or backslash in them, {@link reportTypeFailures}).
 */
export function reportCode(reports: readonly BlockReport[]): string[] {
  return reports.flatMap((r) => [
    'mapc_e = []',
    ...r.failures.map(
      (f) =>
        `mapc_e.push(${f.texts.map(rubyString).join(', ')}) unless [${[...f.allowed, 'null'].map(rubyString).join(', ')}].include?(event.get(${rubyFieldString(f.token)}))`,
    ),
    `event.set(${rubyFieldString(r.into)}, mapc_e) unless mapc_e.empty?`,
  ]);
}
