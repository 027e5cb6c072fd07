/**
 * Hostile map text through the lean ingest pipeline and the lean Logstash pipeline (the forms of a
 * stream with a record schema: `targets/elastic/lean.ts`, `targets/logstash/lean.ts`). The three
 * injection suites run the positions of ./positions.ts, whose map has no record schema, so they
 * check the fully guarded output; the lean VRL has its own suite
 * (test/engines/vrl/lean-hostile.test.ts). Here the same map, with a sample of `CORE_HOSTILE` at
 * each position whose text lands in the mapping (field-path segments, constants, condition
 * literals, lookup tables, date patterns), gets a record schema declaring every read path a
 * nullable, optional string (test/support/hostile-schema.ts). A case the backend refuses (a
 * `TargetRefusal`, at the map's text) is counted and skipped; every other case must give the
 * reference interpreter's document and id on OpenSearch (`_simulate`), on the ingest emulation
 * and on the Logstash evaluator, for a record holding the hostile text and one holding a date at
 * every read path: the text reaches the document byte-exact and adds no code.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compileSource } from '../../compiler/compile.ts';
import type { IntegrationIR } from '../../compiler/ir.ts';
import { failures } from '../agreement/check.ts';
import { engines, type EngineName, type EngineOutput } from '../agreement/engines.ts';
import type { OpenSearchNode } from '../engines/opensearch/node.ts';
import { sharedOpenSearch } from '../engines/opensearch/shared.ts';
import { recordWith, withSchema } from '../support/hostile-schema.ts';
import { CORE_HOSTILE } from './corpus.ts';
import { POSITIONS, placeAt, streamOf } from './positions.ts';

const KINDS = new Set(['segment', 'constant', 'table', 'pattern']);
/** Every 16th hostile string (the first included): 15 per position. */
const SAMPLE = CORE_HOSTILE.filter((_, i) => i % 16 === 0);
const COMPARED: readonly EngineName[] = ['interpreter', 'opensearch', 'ingest', 'logstash'];
/** A backend that refuses map text throws this (test/agreement/engines.ts). */
const REFUSED = /^targets\/(elastic|logstash): /;

let node: OpenSearchNode | undefined;
beforeAll(async () => {
  node = await sharedOpenSearch();
});
const engine = engines(() => node);

describe('lean ingest and Logstash pipelines with hostile map text', () => {
  it.each(POSITIONS.filter((p) => KINDS.has(p.kind)).map((p) => [p.name, p.kind] as const))(
    '%s: refused by the backend, or maps records as the interpreter on OpenSearch, the ingest emulation and Logstash',
    async (position, kind) => {
      const found: string[] = [];
      let carried = 0;
      for (const text of SAMPLE) {
        const result = compileSource(placeAt(position, text).map, 'hostile.map');
        if (!result.ir || result.diagnostics.some((d) => d.severity === 'error')) continue;
        const { ir, stream, paths } = withSchema(result.ir, streamOf(position));
        const records = [recordWith(paths, text), recordWith(paths, '2024-01-02T03:04:05Z')];
        const messages = records.map((r) => JSON.stringify(r));
        const label = `${position} ${JSON.stringify(text).slice(0, 60)}`;
        const outputs: Partial<Record<EngineName, EngineOutput[]>> = {};
        const compared: EngineName[] = ['interpreter'];
        for (const name of COMPARED) {
          try {
            outputs[name] = await engine(name)(ir as IntegrationIR, stream.name, messages);
            if (name !== 'interpreter') compared.push(name);
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            if (!REFUSED.test(message)) found.push(`${label} on ${name}: ${message.slice(0, 300)}`);
          }
        }
        if (compared.length > 1) carried++;
        if (outputs.interpreter)
          for (const f of failures(
            stream,
            records as never,
            { ...outputs, interpreter: outputs.interpreter },
            new Map(),
            compared,
          ))
            found.push(`${label}\n${f}`);
      }
      expect(found.slice(0, 10)).toEqual([]);
      // A position whose every hostile text is refused would prove nothing here (a date pattern's
      // syntax is fixed: the checks refuse hostile text there).
      if (kind !== 'pattern') expect(carried).toBeGreaterThan(0);
    },
  );
});
