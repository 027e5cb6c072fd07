/**
 * The compactions of the lean Logstash form (issue 8): tier-2 type failures reported per block by
 * the type check (targets/logstash/report.ts), adjacent mutates as one (targets/logstash/mutates.ts),
 * a date written into @timestamp by the date filter itself (targets/logstash/direct.ts), and two
 * lookups with the same keys testing their hit once (targets/logstash/fuse.ts). Each is checked on
 * its output and, through the evaluator, on records that fail several rules across blocks: the
 * document and its `error.message` order are the interpreter's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.ts';
import { defaultSettings, mapRecord } from '../../../compiler/interpret/index.ts';
import type { IntegrationIR } from '../../../compiler/ir.ts';
import { logstashBackend } from '../../../targets/logstash/index.ts';
import { fuseMutates } from '../../../targets/logstash/mutates.ts';
import { plugin, strHash, strs, type Plugin } from '../../../targets/logstash/model.ts';
import { own, OWN, sprintfTemplate } from '../../../targets/logstash/quote.ts';
import { ref } from '../../../targets/logstash/scratch.ts';
import { runPipeline } from '../../emulated/logstash/support.ts';
import { loadFixtureIR, REPO_ROOT } from '../../support/fixtures.ts';

const enpass = loadFixtureIR('enpass');
const conf = (ir: IntegrationIR): string =>
  logstashBackend.emit(ir, {}).files.find((f) => f.path.endsWith('.conf'))?.content ?? '';
const filter = (text: string): string => text.slice(text.indexOf('filter {'), text.indexOf('\noutput {'));

/** The interpreter's document and id for one Enpass record, and the evaluator's. */
function both(record: Record<string, unknown>) {
  const message = JSON.stringify(record);
  const m = mapRecord(enpass.streams[0]!, message, defaultSettings(enpass));
  const expected = m.id === undefined ? { doc: m.doc } : { _id: m.id, doc: m.doc };
  return { expected, got: runPipeline(conf(enpass), message) };
}

const conforming = {
  event_id: 'e1',
  created_at: '2024-05-06T07:08:09.123456Z',
  category: 'Users',
  activity: 'Login',
  actor: { name: 'ann', email: 'ann@example.com' },
  component: 'Hub',
  ip_address: '10.0.0.1',
};

describe('tier-2 type failures reported per block by the type check', () => {
  const text = filter(conf(enpass));

  it('drops the else-if branch of every rule that fails by type alone; date and ip keep theirs', () => {
    expect(text.match(/else if \[@metadata\]\[mapc\]\[type\]/g) ?? []).toHaveLength(1); // the ip rules
    expect(text).toContain("mapc_e.push('mapc: cannot map event_id to event.id') unless ['string', 'null'].include?");
    expect(text).toContain("event.set('[@metadata][mapc][errors]', mapc_e) unless mapc_e.empty?");
    expect(text).toContain("event.set('[@metadata][mapc][tier2][b1]', mapc_e) unless mapc_e.empty?");
    expect(text.match(/ruby \{/g) ?? []).toHaveLength(1);
  });

  const cases: [string, Record<string, unknown>][] = [
    [
      'every declared path of a wrong type',
      {
        event_id: 7,
        created_at: 8,
        category: ['Users'],
        activity: true,
        actor: { name: 1.5, email: {} },
        component: false,
        ip_address: 9,
      },
    ],
    [
      'first block, a date failure, the second block and an ip failure, in rule order',
      {
        ...conforming,
        event_id: 12,
        created_at: '2024-13-01T00:00:00Z',
        category: 3,
        actor: { name: 'ann', email: 4 },
        ip_address: '300.1.1.1',
      },
    ],
    [
      'the second block alone, with a missing and a null value that fail nothing',
      {
        ...conforming,
        activity: null,
        actor: { email: ['x'] },
        component: 5,
      },
    ],
    ['a conforming record (no error)', conforming],
  ];
  for (const [name, record] of cases) {
    it(`gives the interpreter's document and id: ${name}`, () => {
      const { expected, got } = both(record);
      expect(got).toEqual(expected);
    });
  }

  it('the first case appends one text per failing rule, in rule order', () => {
    const { got } = both(cases[0]![1]);
    expect((got.doc['error'] as { message: string[] }).message).toEqual([
      'mapc: cannot map event_id to event.id',
      'mapc: cannot map created_at to @timestamp',
      'mapc: cannot map category to event.category',
      'mapc: cannot map category to event.type',
      'mapc: cannot map activity to event.action',
      'mapc: cannot map activity to message',
      'mapc: cannot map actor.name to user.name',
      'mapc: cannot map actor.email to user.email',
      'mapc: cannot map actor.name to related.user',
      'mapc: cannot map actor.email to related.user',
      'mapc: cannot map component to service.name',
      'mapc: cannot map ip_address to source.ip',
      'mapc: cannot map ip_address to related.ip',
    ]);
  });

  it('writes @timestamp with the date filter itself and tests both lookups once', () => {
    expect(text).not.toContain('"[@metadata][mapc][date][r4]" => "[@timestamp]"');
    expect(text.match(/if \[@metadata\]\[mapc\]\[lookup\]\[r\d+\] \{/g) ?? []).toHaveLength(1);
  });
});

describe('adjacent mutates', () => {
  const m = (...attrs: Parameters<typeof plugin>[1]): Plugin => plugin('mutate', attrs);
  const a = ref(['a']);
  const b = ref(['b']);
  const c = ref(['c']);

  it('join when the processing order keeps the sequence, attributes in that order', () => {
    const out = fuseMutates([
      m(['copy', strHash([[a, b]])]),
      m(['merge', strHash([[c, a]])], ['remove_field', strs(a)]),
    ]);
    expect(out).toHaveLength(1);
    expect((out[0] as Plugin).attributes.map((x) => x.name)).toEqual(['merge', 'copy', 'remove_field']);
  });

  it('stay apart when a later operation would move before one it depends on', () => {
    // copy a→b, then lowercase b: one mutate would lowercase before the copy.
    expect(fuseMutates([m(['copy', strHash([[a, b]])]), m(['lowercase', strs(b)])])).toHaveLength(2);
    // remove_field a, then replace a: one mutate would remove the new value.
    expect(fuseMutates([m(['remove_field', strs(a)]), m(['replace', strHash([[a, own('x')]])])])).toHaveLength(2);
    // copy a→b, then replace c with %{b}: the reference reads b before the copy.
    const template = sprintfTemplate([{ ref: b }], OWN);
    expect(fuseMutates([m(['copy', strHash([[a, b]])]), m(['replace', strHash([[c, template]])])])).toHaveLength(2);
    // a key given twice
    expect(fuseMutates([m(['copy', strHash([[a, b]])]), m(['copy', strHash([[a, c]])])])).toHaveLength(2);
  });
});

describe('regrouping the tests of one token inside a block', () => {
  // Three appends to one field from two sources: the third (actor.name again) may not move up next
  // to the first, past the second, which writes the same field (the array's order would change).
  const text = readFileSync(join(REPO_ROOT, 'maps/enpass.map'), 'utf8').replace(
    '    service.name    = component',
    [
      '    service.name    = component',
      '    user.roles     += actor.name',
      '    user.roles     += actor.email',
      '    user.roles     += actor.name | uppercase',
      '    user.domain     = actor.name',
    ].join('\n'),
  );
  const compiled = compileSource(text, 'maps/enpass.map');
  const ir = compiled.ir!;

  it('compiles', () => {
    expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  for (const [name, record] of [
    ['a conforming record', conforming],
    ['a name of a wrong type', { ...conforming, actor: { name: 5, email: 'e@x' } }],
  ] as const) {
    it(`keeps every write's order: ${name}`, () => {
      const message = JSON.stringify(record);
      const m = mapRecord(ir.streams[0]!, message, defaultSettings(ir));
      const got = runPipeline(conf(ir), message);
      expect(got).toEqual(m.id === undefined ? { doc: m.doc } : { _id: m.id, doc: m.doc });
    });
  }

  it('moves a test of actor.name up only past rules that touch nothing it touches', () => {
    const out = filter(conf(ir));
    const email = out.indexOf('"[user][roles]" => "[enpass][events][actor][email]"');
    // The first append of actor.name joins the earlier test of actor.name (rules 11, 13, 14 between
    // touch neither user.roles nor actor.name) ...
    expect(out.indexOf('"[user][roles]" => "[enpass][events][actor][name]"')).toBeLessThan(email);
    expect(out.match(/if \[@metadata\]\[mapc\]\[type\]\[p4\] == "string"/g)).toHaveLength(2);
    // ... the uppercase append stays after the email's (both write user.roles), user.domain with it.
    expect(out.indexOf('uppercase =>')).toBeGreaterThan(email);
    expect(out.indexOf('"[user][domain]"')).toBeGreaterThan(email);
  });
});
