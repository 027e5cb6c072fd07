/**
 * The exact install steps the generated Vector and Logstash READMEs give for a collection host,
 * as shell lines an operator runs as root from the folder where `mapc build` ran (it holds the
 * map at its `sourceFile` path and `generated/`, the default `--out`). One place for the facts
 * both READMEs share: where mapc goes, where the map goes, and who owns the state directory.
 *
 * - mapc is installed as the single file `dist/mapc.mjs` (built by `npm ci` in the mapc
 *   repository; it needs Node.js 20 or later as `node` and nothing else) copied to
 *   `/usr/local/bin/mapc`, which is on a systemd service's default `PATH`
 *   (systemd.exec(5), "Environment variables in spawned processes": `PATH` defaults to
 *   `/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin`, https://www.freedesktop.org/software/systemd/man/257/systemd.exec.html).
 * - The state directory belongs to the service's user, mode 0700: `mapc collect` runs as that
 *   user and replaces its state file (and the compiled map kept next to it) there.
 *
 * @module
 */

/** Where mapc's single file is in the mapc repository, and where the steps install it. */
export const MAPC_SINGLE_FILE = 'dist/mapc.mjs';
export const MAPC_BIN = '/usr/local/bin/mapc';

/** The command the steps make available (the backends' default collect command). */
export const INSTALLED_COLLECT_COMMAND = 'mapc collect';

/** `generated/` as `mapc build` writes it by default: the folder of a target's files. */
export const generatedDir = (integration: string, target: 'vector' | 'logstash'): string =>
  `generated/${integration}/${target}`;

/** POSIX shell quoting of one word: as is when it has no special character, else single-quoted. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'"'"'`)}'`;
}

export interface CollectorInstall {
  /** The map as the author's project holds it (`IntegrationIR.sourceFile`). */
  readonly sourceFile: string;
  /** Where the generated config expects the map. */
  readonly deployedMapPath: string;
  /** The collect command the generated config runs. */
  readonly collectCommand: string;
  /** The service's user and group, owner of the state directory. */
  readonly user: string;
  readonly stateDir: string;
}

/**
 * Lines installing `mapc collect` for a service: mapc itself (a comment instead when the config
 * runs another command than {@link INSTALLED_COLLECT_COMMAND}), the map, the state directory.
 */
export function collectorInstallLines(c: CollectorInstall): string[] {
  return [
    c.collectCommand === INSTALLED_COLLECT_COMMAND
      ? `install -D -m 0755 ${MAPC_SINGLE_FILE} ${MAPC_BIN}`
      : `# install mapc so that the service can run: ${c.collectCommand.replace(/[\r\n]/g, ' ')}`,
    `install -D -m 0644 ${shellWord(c.sourceFile)} ${shellWord(c.deployedMapPath)}`,
    `install -d -o ${c.user} -g ${c.user} -m 0700 ${shellWord(c.stateDir)}`,
  ];
}
