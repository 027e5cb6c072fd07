/**
 * Redaction fails closed (compiler/ir.ts step 4) on all five engines: the reference interpreter,
 * VRL (verel), the real OpenSearch node (`_simulate`), the ingest evaluator and the Logstash
 * evaluator.
 *
 * - The cases of test/support/redaction.ts (every JSON type at `hash` and `mask` paths in place
 *   under the namespace, to ECS fields, after other transforms, into a target that cannot be
 *   written, with the record not kept): every engine shows the fail-closed facts, and every engine
 *   gives the interpreter's document.
 * - `maps/entro.map` as bundled, on Entro-shaped records whose `exposed_value` is an object, a
 *   number, an array (and the other non-string types): the clear value appears nowhere in any
 *   engine's serialized document, and the engines agree.
 */
import { describe, expect, it } from 'vitest';
import type { StreamIR } from '../../compiler/ir.ts';
import { loadFixtureRecords } from '../support/fixtures.ts';
import {
  REDACTION_INPUTS,
  redactionIR,
  redactionProblems,
  redactionRecord,
  valueAt,
  type Json,
} from '../support/redaction.ts';
import { failures, runAll } from './check.ts';
import { ENGINES, type Engine, type EngineName } from './engines.ts';
import { bundledMaps } from './maps.ts';

/** Clear texts planted in Entro records; none may reach a document. */
const ENTRO_SECRET = 'entro-LEAK-7f3a9c-password';
const ENTRO_NUMBER = 731964285017;

/** Non-string `exposed_value`s: each with the text that must not appear when it is not redacted. */
const ENTRO_VALUES: readonly { label: string; value: Json; needle?: string }[] = [
  { label: 'object', value: { password: ENTRO_SECRET, user: 'svc' }, needle: ENTRO_SECRET },
  { label: 'number', value: ENTRO_NUMBER, needle: String(ENTRO_NUMBER) },
  { label: 'array', value: [ENTRO_SECRET, 'second'], needle: ENTRO_SECRET },
  { label: 'float', value: 12345.678901, needle: '12345.678901' },
  { label: 'boolean', value: true },
  { label: 'nested object', value: { k: { v: [ENTRO_SECRET] } }, needle: ENTRO_SECRET },
  { label: 'empty object', value: {} },
  { label: 'empty array', value: [] },
];

/** Registers the redaction tests; `engine` gives each engine's adapter (./agreement.test.ts). */
export function redactionSuite(engine: (name: EngineName) => Engine): void {
  describe('every JSON type at every redaction layout, on every engine', () => {
    const ir = redactionIR();
    it.each(['kept', 'dropped'] as const)(
      'stream %s: fail-closed facts on each engine, same documents',
      async (name) => {
        const stream = ir.streams.find((s) => s.name === name) as StreamIR;
        const records = REDACTION_INPUTS.map((input) => redactionRecord(name, input));
        const { outputs } = await runAll(
          engine,
          ir,
          name,
          records.map((r) => JSON.stringify(r)),
        );
        const problems: string[] = [];
        for (const e of ENGINES) {
          outputs[e].forEach((out, i) => {
            const input = REDACTION_INPUTS[i]!;
            if (out.crash !== undefined) problems.push(`${e} ${input.label}: crash ${out.crash}`);
            else problems.push(...redactionProblems(ir, name, input, out.doc).map((p) => `${e} ${p}`));
          });
        }
        expect(problems).toEqual([]);
        const found = failures(stream, records, outputs, new Map());
        expect(found, `${found.length} failure(s):\n${found.slice(0, 8).join('\n')}`).toEqual([]);
      },
    );
  });

  describe('maps/entro.map on Entro records with a non-string exposed_value, on every engine', () => {
    const entro = bundledMaps().find((m) => m.ir.name === 'entro');
    if (!entro) throw new Error('maps/entro.map is not bundled');
    const stream = entro.ir.streams.find((s) => s.name === 'audit') as StreamIR;
    const templates = (loadFixtureRecords('entro', 'audit') as Record<string, Json>[]).filter(
      (r) => typeof valueAt(r, ['results', 'secrets', 'exposed_value']) === 'string',
    );
    const hashRule = stream.mapping.rules.find((r) => r.destination.join('.') === 'related.hash');

    it('the clear value appears nowhere in any document; the engines agree', async () => {
      expect(templates.length).toBeGreaterThan(0);
      expect(hashRule).toBeDefined();
      const cases = templates.flatMap((template) => [
        // The fixture's own string: hashed and masked, never stored in clear either.
        {
          label: 'string (fixture)',
          needle: valueAt(template, ['results', 'secrets', 'exposed_value']) as string,
          record: template,
          fails: false,
        },
        ...ENTRO_VALUES.map((v) => {
          const record = structuredClone(template) as { results: { secrets: Record<string, Json> } };
          record.results.secrets['exposed_value'] = v.value;
          return { label: v.label, needle: v.needle, record: record as Record<string, Json>, fails: true };
        }),
      ]);
      const records = cases.map((c) => c.record);
      const { outputs } = await runAll(
        engine,
        entro.ir,
        'audit',
        records.map((r) => JSON.stringify(r)),
      );
      const problems: string[] = [];
      for (const e of ENGINES) {
        outputs[e].forEach((out, i) => {
          const c = cases[i]!;
          const at = `${e} ${c.label}`;
          if (out.crash !== undefined) return void problems.push(`${at}: crash ${out.crash}`);
          const text = JSON.stringify(out.doc);
          if (c.needle !== undefined && text.includes(c.needle)) problems.push(`${at}: ${c.needle} is in ${text}`);
          const kept = valueAt(out.doc, ['entro', 'audit', 'results', 'secrets', 'exposed_value']);
          // A value that could not be masked is gone; a string is masked in place.
          if (c.fails ? kept !== undefined : typeof kept !== 'string' || !kept.endsWith('********'))
            problems.push(`${at}: exposed_value is ${JSON.stringify(kept)}`);
          const errors = (valueAt(out.doc, ['error', 'message']) as unknown[] | undefined) ?? [];
          const failed = errors.some((m) => typeof m === 'string' && m.includes('results.secrets.exposed_value'));
          if (failed !== c.fails) problems.push(`${at}: error.message ${JSON.stringify(errors)}`);
        });
      }
      console.log(
        `redaction entro.audit: ${records.length} records (${templates.length} fixture records × ${ENTRO_VALUES.length + 1} exposed_value types) per engine`,
      );
      expect(problems).toEqual([]);
      const found = failures(stream, records, outputs, new Map());
      expect(found, `${found.length} failure(s):\n${found.slice(0, 8).join('\n')}`).toEqual([]);
    });
  });
}
