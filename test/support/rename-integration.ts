/**
 * A bundled map renamed, for the tests of integration names that start with a digit (issue 9
 * item 7): test/agreement/digit-names.suite.ts, test/engines/package-spec/validate.test.ts,
 * test/engines/mito/cel-maps.test.ts.
 *
 * @module
 */
/**
 * The map text with integration `name` renamed to `renamed`: the `integration` line, and every
 * `name.` and `"name.` outside comments (namespace, datasets, rules writing under the namespace),
 * and `name` ending the code of a line (a namespace that is the integration's name alone:
 * `namespace bitwarden`).
 */
export function renameIntegration(source: string, name: string, renamed: string): string {
  const word = new RegExp(`(^|[^A-Za-z0-9_.])${name}(?=\\.|\\s*$)`, 'g');
  return source
    .split('\n')
    .map((line) => {
      const hash = line.search(/#(?=(?:[^"]*"[^"]*")*[^"]*$)/);
      const code = hash < 0 ? line : line.slice(0, hash);
      const comment = hash < 0 ? '' : line.slice(hash);
      return (
        code.replace(new RegExp(`^integration ${name} `), `integration ${renamed} `).replace(word, `$1${renamed}`) +
        comment
      );
    })
    .join('\n');
}
