/**
 * The hand-written VRL baselines of `npm run bench` (`bench/baselines/vector/<vendor>.vrl`) stay
 * honest: on both VRL runtimes (verel = VRL 0.25, the vrl CLI = VRL 0.38) each compiles without
 * error or warning and maps every fixture record of its vendor to exactly the document and id of
 * `fixtures/<vendor>/<stream>/expected.json`, as the generated remap does. Only then is comparing
 * their speed and size with the generated remaps' meaningful.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonical } from '../agreement/compare.ts';
import { RUNTIMES } from '../engines/vrl/harness.ts';
import { listFixtureStreams, loadFixtureCases, REPO_ROOT } from '../support/fixtures.ts';

const cases = listFixtureStreams().flatMap(({ vendor, stream }) =>
  RUNTIMES.map((runtime) => [`${vendor}.${stream}`, runtime.name, vendor, stream, runtime] as const),
);

describe.each(cases)('hand-written VRL baseline of %s on %s', (_label, _name, vendor, stream, runtime) => {
  const program = readFileSync(join(REPO_ROOT, 'bench', 'baselines', 'vector', `${vendor}.vrl`), 'utf8');

  it('compiles with no error and no warning', () => {
    expect(runtime.check(program)).toEqual({ errors: [], warnings: [] });
  });

  it("maps every fixture record to expected.json's document and id", () => {
    const fixtures = loadFixtureCases(vendor, stream);
    const expected = fixtures.map((c) => c.expected);
    const outputs = runtime.runBatch(
      program,
      fixtures.map((c) => ({ message: c.message })),
    );
    const got = outputs.map((events) => events.map(({ _id, ...doc }) => ({ _id, doc })));
    expect(got.map((events) => events.map(canonical))).toEqual(
      expected.map((e) => [canonical({ _id: e._id, doc: e.doc })]),
    );
  });
});
