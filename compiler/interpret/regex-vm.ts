/**
 * The matcher of `extract` patterns (`dsl/regex.ts`) in the interpreter and the collector: a Pike
 * VM (Thompson's construction run on all threads at once, threads kept in priority order; Russ
 * Cox, "Regular Expression Matching: the Virtual Machine Approach", 2009,
 * https://swtch.com/~rsc/regexp/regexp2.html). It finds the match and the capture a backtracking
 * engine (JavaScript, Joni) finds, leftmost-first with greedy and lazy quantifiers, because a
 * thread of higher priority is always the one a backtracking engine would try first, but in
 * O(text × pattern) steps: a hostile record cannot make it backtrack (JavaScript's `RegExp` takes
 * seconds on `(a*)a*c` against 3,000 `a`s). Rust's `regex` (VRL) uses the same technique.
 *
 * The text is read in code points (as the `u` flag, Joni on UTF-8 and Rust do); offsets below are
 * code point indices.
 *
 * @module
 */
import type { ParsedRegex, RegexAlternatives, RegexItem } from '../../dsl/regex.ts';

type Inst =
  /** Consumes one code point in (or, `negated`, not in) the ranges. */
  | { readonly op: 'char'; readonly ranges: readonly (readonly [number, number])[]; readonly negated: boolean }
  /** Continues at `x` first, then at `y`. */
  | { op: 'split'; x: number; y: number }
  | { op: 'jmp'; to: number }
  /** Stores the position in capture slot `slot` (2k + 2: start of the k-th group, 2k + 3: its end). */
  | { readonly op: 'save'; readonly slot: number }
  | { readonly op: 'assert'; readonly at: 'start' | 'end' }
  | { readonly op: 'match' };

/** A compiled pattern. */
export interface RegexProgram {
  readonly insts: readonly Inst[];
  /** Capturing groups, in the order of their `(`. */
  readonly groups: number;
}

const NEWLINE: readonly (readonly [number, number])[] = [[0x0a, 0x0a]];

/** Compiles the parsed pattern (once per pattern; the caller caches it). */
export function compileRegex(regex: ParsedRegex): RegexProgram {
  const insts: Inst[] = [];
  let groups = 0;
  const emit = (i: Inst): number => insts.push(i) - 1;
  const alternatives = (alts: RegexAlternatives): void => {
    const jumps: { op: 'jmp'; to: number }[] = [];
    alts.forEach((seq, k) => {
      if (k < alts.length - 1) {
        const s = { op: 'split' as const, x: insts.length + 1, y: 0 };
        emit(s);
        for (const item of seq) compile(item);
        const j = { op: 'jmp' as const, to: 0 };
        emit(j);
        jumps.push(j);
        s.y = insts.length;
      } else for (const item of seq) compile(item);
    });
    for (const j of jumps) j.to = insts.length;
  };
  const compile = (item: RegexItem): void => {
    switch (item.kind) {
      case 'char':
        emit({ op: 'char', ranges: [[item.cp, item.cp]], negated: false });
        return;
      case 'any':
        emit({ op: 'char', ranges: NEWLINE, negated: true });
        return;
      case 'class':
        emit({ op: 'char', ranges: item.ranges, negated: item.negated });
        return;
      case 'anchor':
        emit({ op: 'assert', at: item.at });
        return;
      case 'group': {
        const slot = item.capture ? 2 + 2 * groups++ : undefined;
        if (slot !== undefined) emit({ op: 'save', slot });
        alternatives(item.body);
        if (slot !== undefined) emit({ op: 'save', slot: slot + 1 });
        return;
      }
      case 'repeat': {
        for (let k = 0; k < item.min; k++) compile(item.item);
        if (item.max === undefined) {
          // L: split(body, out) (lazy: out first); body; jmp L. The body never matches the empty
          // text (`dsl/regex.ts`), so the loop always advances.
          const split = { op: 'split' as const, x: 0, y: 0 };
          const loop = emit(split);
          const body = insts.length;
          compile(item.item);
          emit({ op: 'jmp', to: loop });
          const out = insts.length;
          [split.x, split.y] = item.lazy ? [out, body] : [body, out];
          return;
        }
        const exits: { op: 'split'; x: number; y: number }[] = [];
        for (let k = item.min; k < item.max; k++) {
          const split = { op: 'split' as const, x: 0, y: 0 };
          const at = emit(split);
          exits.push(split);
          compile(item.item);
          // Patched below: the body follows the split (greedy: first; lazy: second).
          (split as { x: number }).x = at + 1;
        }
        const out = insts.length;
        for (const split of exits) {
          const body = split.x;
          [split.x, split.y] = item.lazy ? [out, body] : [body, out];
        }
        return;
      }
    }
  };
  emit({ op: 'save', slot: 0 });
  alternatives(regex.body);
  emit({ op: 'save', slot: 1 });
  emit({ op: 'match' });
  return { insts, groups };
}

type Slots = readonly number[];

function inRanges(cp: number, ranges: readonly (readonly [number, number])[]): boolean {
  for (const [lo, hi] of ranges) if (cp >= lo && cp <= hi) return true;
  return false;
}

/**
 * The leftmost-first match of `program` in `text` (searched from every position in turn): each
 * group's text in order, `null` for a group that took no part in the match; `undefined` for no
 * match.
 */
export function runRegex(program: RegexProgram, text: string): (string | null)[] | undefined {
  const cps = Array.from(text, (c) => c.codePointAt(0)!);
  const { insts } = program;
  const n = cps.length;
  let clist: { pc: number; slots: Slots }[] = [];
  let matched: Slots | undefined;
  // Adds the thread and follows its non-consuming instructions, depth first in priority order.
  const add = (list: { pc: number; slots: Slots }[], seen: Uint8Array, pc: number, slots: Slots, pos: number): void => {
    const stack: { pc: number; slots: Slots }[] = [{ pc, slots }];
    while (stack.length > 0) {
      const t = stack.pop()!;
      if (seen[t.pc]) continue;
      seen[t.pc] = 1;
      const inst = insts[t.pc]!;
      switch (inst.op) {
        case 'jmp':
          stack.push({ pc: inst.to, slots: t.slots });
          break;
        case 'split':
          // Pushed in reverse so that `x` is followed first.
          stack.push({ pc: inst.y, slots: t.slots }, { pc: inst.x, slots: t.slots });
          break;
        case 'save': {
          const s = t.slots.slice();
          s[inst.slot] = pos;
          stack.push({ pc: t.pc + 1, slots: s });
          break;
        }
        case 'assert':
          if (inst.at === 'start' ? pos === 0 : pos === n) stack.push({ pc: t.pc + 1, slots: t.slots });
          break;
        default:
          list.push(t);
      }
    }
  };
  const none: Slots = Array.from({ length: 2 + 2 * program.groups }, () => -1);
  for (let pos = 0; pos <= n; pos++) {
    const current: { pc: number; slots: Slots }[] = [];
    // The threads carried from the previous position, already followed to their consuming instructions.
    const seenNow = new Uint8Array(insts.length);
    for (const t of clist) {
      if (seenNow[t.pc]) continue;
      seenNow[t.pc] = 1;
      current.push(t);
    }
    // A new search start, of the lowest priority, while no match has been found.
    if (matched === undefined) add(current, seenNow, 0, none, pos);
    const next: { pc: number; slots: Slots }[] = [];
    const nextSeen = new Uint8Array(insts.length);
    for (const t of current) {
      const inst = insts[t.pc]!;
      if (inst.op === 'match') {
        matched = t.slots;
        break; // lower-priority threads cannot win
      }
      if (inst.op === 'char' && pos < n && inRanges(cps[pos]!, inst.ranges) !== inst.negated)
        add(next, nextSeen, t.pc + 1, t.slots, pos + 1);
    }
    clist = next;
    if (clist.length === 0 && matched !== undefined) break;
  }
  if (matched === undefined) return undefined;
  const found = matched;
  return Array.from({ length: program.groups }, (_, k) => {
    const start = found[2 + 2 * k] ?? -1;
    const end = found[3 + 2 * k] ?? -1;
    return start < 0 || end < 0 ? null : String.fromCodePoint(...cps.slice(start, end));
  });
}
