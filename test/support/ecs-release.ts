/**
 * A map's text with `ecs "VERSION"` added as the first item of its integration block (issue 9
 * item 14), for tests that run a bundled map on another ECS release.
 * @throws Error when the text has no `integration NAME {` line.
 */
export function withEcsRelease(source: string, version: string): string {
  const out = source.replace(/^(integration [^\s{]+ \{\n)/m, `$1  ecs "${version}"\n`);
  if (out === source) throw new Error('no integration block to add `ecs` to');
  return out;
}
