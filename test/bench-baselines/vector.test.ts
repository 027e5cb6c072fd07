/**
 * The hand-written VRL baselines of `npm run bench` (`bench/baselines/vector/<vendor>.vrl`) stay
 * honest: on both VRL runtimes (verel = VRL 0.25, the vrl CLI = VRL 0.38) each compiles without
 * error or warning and maps every fixture record of its vendor to exactly the document and id of
 * `fixtures/<vendor>/<stream>/expected.json`, as the generated remap does. Only then is comparing
 * their speed and size with the generated remaps' meaningful.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonical } from '../agreement/compare.ts';
import { RUNTIMES } from '../engines/vrl/harness.ts';
import { listFixtureStreams, loadFixtureCases, REPO_ROOT } from '../support/fixtures.ts';

const BASELINES = join(REPO_ROOT, 'bench', 'baselines', 'vector');
/** The fixture streams of the vendors with a baseline (not every bundled vendor has one: Bitwarden has none). */
const withBaseline = listFixtureStreams().filter(({ vendor }) => existsSync(join(BASELINES, `${vendor}.vrl`)));
const cases = withBaseline.flatMap(({ vendor, stream }) =>
  RUNTIMES.map((runtime) => [`${vendor}.${stream}`, runtime.name, vendor, stream, runtime] as const),
);

it("every baseline is a fixture vendor's, so each one is tested below", () => {
  const files = readdirSync(BASELINES).filter((f) => f.endsWith('.vrl'));
  expect(files.length).toBeGreaterThan(0);
  expect(files.map((f) => f.replace(/\.vrl$/, '')).sort()).toEqual(withBaseline.map((s) => s.vendor).sort());
});

describe.each(cases)('hand-written VRL baseline of %s on %s', (_label, _name, vendor, stream, runtime) => {
  const program = readFileSync(join(BASELINES, `${vendor}.vrl`), 'utf8');

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
