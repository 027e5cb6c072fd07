/**
 * Hostile map text through the lean remap (`targets/vector/vrl/lean.ts`, the form of a stream
 * with a record schema): the injection suite (`test/security/injection-vector.test.ts`) runs the
 * positions of `test/security/positions.ts`, whose map has no record schema, so it exercises the
 * guarded remap. Here the same map, with every hostile string of a sample of `CORE_HOSTILE` at
 * each position whose text lands in VRL (field-path segments, constants, condition literals,
 * lookup tables, date patterns), gets a record schema declaring every read path a nullable,
 * optional string; its lean remap must compile on VRL with no error and give the reference
 * interpreter's document and id (the collection time aside, step 8) for records holding the
 * hostile text, or an ISO date, at every read path: the text reaches the document byte-exact and
 * adds no code.
 *
 * Each case is compiled once for both runtimes, and each distinct remap program is run once per
 * runtime with the records of every case that has it (VRL compiles a program on every call).
 */
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.ts';
import { mapRecord } from '../../../compiler/interpret/index.ts';
import type { StreamIR } from '../../../compiler/ir.ts';
import { componentIds, vectorBackend } from '../../../targets/vector/index.ts';
import { CORE_HOSTILE } from '../../security/corpus.ts';
import { POSITIONS, placeAt, streamOf } from '../../security/positions.ts';
import { canonical } from '../../agreement/compare.ts';
import { recordWith, withSchema } from '../../support/hostile-schema.ts';
import { deploymentEnv, loadVectorConfig, RUNTIMES, withoutCollectionTime, type VrlRuntime } from './harness.ts';

const KINDS = new Set(['segment', 'constant', 'table', 'pattern']);
/** Every 8th hostile string (the first included): about 60 per position. */
const SAMPLE = CORE_HOSTILE.filter((_, i) => i % 8 === 0);
const cases = POSITIONS.filter((p) => KINDS.has(p.kind));

/** One hostile text at a position, compiled to a lean remap. */
interface Case {
  readonly label: string;
  /** The stream whose mapping holds the text (an `id raw` position is the logins stream's). */
  readonly stream: StreamIR;
  readonly program: string;
  readonly records: readonly Record<string, unknown>[];
}

/**
 * The cases of a position that compile (`compileSource`, then the Vector backend on the IR with a
 * record schema), and the failures found on the way. Built once per position and shared by every
 * runtime: both are pure functions of the map text.
 */
const built = new Map<string, { cases: Case[]; failures: string[] }>();
function casesAt(position: string): { cases: Case[]; failures: string[] } {
  const known = built.get(position);
  if (known) return known;
  const out: { cases: Case[]; failures: string[] } = { cases: [], failures: [] };
  for (const text of SAMPLE) {
    const placed = placeAt(position, text);
    const result = compileSource(placed.map, 'hostile.map');
    if (!result.ir || result.diagnostics.some((d) => d.severity === 'error')) continue;
    const { ir, stream, paths } = withSchema(result.ir, streamOf(position));
    const { files, diagnostics } = vectorBackend.emit(ir, {});
    if (diagnostics.some((d) => d.severity === 'error')) continue; // refused by the quoting layer
    const config = loadVectorConfig(files.find((f) => f.path === 'vector.yaml')?.content ?? '', deploymentEnv(ir));
    const program = config.transforms[componentIds(ir, stream).remap]?.source ?? '';
    const label = `${position} ${JSON.stringify(text).slice(0, 60)}`;
    if (!program.includes('# Lean form')) out.failures.push(`${label}: not the lean form`);
    out.cases.push({
      label,
      stream,
      program,
      records: [recordWith(paths, text), recordWith(paths, '2024-01-02T03:04:05Z')],
    });
  }
  built.set(position, out);
  return out;
}

/**
 * Each case's outputs on `runtime`, one engine call per distinct program (a text that does not
 * reach the remap, such as a pagination segment, gives every case the same program): the records
 * of every case with that program go in one batch, in case order. When a batch fails, each of its
 * cases runs alone, so that a failure names its case as before.
 */
function runCases(runtime: VrlRuntime, cases: readonly Case[]): (Record<string, unknown>[][] | Error)[] {
  const groups = new Map<string, number[]>();
  cases.forEach((c, i) => groups.set(c.program, [...(groups.get(c.program) ?? []), i]));
  const results: (Record<string, unknown>[][] | Error)[] = [];
  const run = (c: Case): Record<string, unknown>[][] =>
    runtime.runBatch(
      c.program,
      c.records.map((r) => ({ message: JSON.stringify(r) })),
    );
  for (const [program, members] of groups) {
    const inputs = members.flatMap((i) => cases[i]!.records.map((r) => ({ message: JSON.stringify(r) })));
    let outputs: Record<string, unknown>[][] | undefined;
    try {
      outputs = members.length > 1 ? runtime.runBatch(program, inputs) : undefined;
    } catch {
      outputs = undefined;
    }
    let offset = 0;
    for (const i of members) {
      const c = cases[i]!;
      if (outputs) results[i] = outputs.slice(offset, offset + c.records.length);
      else {
        try {
          results[i] = run(c);
        } catch (error) {
          results[i] = error instanceof Error ? error : new Error(String(error));
        }
      }
      offset += c.records.length;
    }
  }
  return results;
}

describe.each(RUNTIMES.map((r) => [r.name, r] as const))('lean remap with hostile map text on %s', (_name, runtime) => {
  it.each(cases.map((p) => [p.name, p.kind] as const))(
    '%s: compiles, and maps records as the interpreter',
    (position, kind) => {
      const { cases: compiled, failures: buildFailures } = casesAt(position);
      const failures: string[] = [...buildFailures];
      const outputs = runCases(runtime, compiled);
      compiled.forEach(({ label, stream, records }, k) => {
        const out = outputs[k]!;
        if (out instanceof Error) {
          failures.push(`${label}: ${String(out).slice(0, 300)}`);
          return;
        }
        records.forEach((record, i) => {
          const want = mapRecord(stream, JSON.stringify(record), {});
          const got = out[i]?.[0] ?? {};
          const { _id, ...doc } = got;
          const a = canonical({ _id: want.id, doc: want.doc });
          const b = canonical({ _id, doc: withoutCollectionTime(doc, want.doc) });
          if (a !== b) failures.push(`${label}\n  interpreter: ${a.slice(0, 400)}\n  vrl: ${b.slice(0, 400)}`);
        });
      });
      expect(failures.slice(0, 10)).toEqual([]);
      // A position whose every hostile text is refused would prove nothing here (a date pattern's
      // syntax is fixed: the checks refuse hostile text there).
      if (kind !== 'pattern') expect(compiled.length).toBeGreaterThan(0);
    },
  );
});
