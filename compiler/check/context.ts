/**
 * What every check sees: the file, its declarations by name, and a sink for diagnostics.
 *
 * @module
 */
import type { IntegrationDecl, MapFile, SecretDecl, SettingDecl, Span, StreamDecl, TableDecl } from '../../dsl/ast.ts';
import type { DiagnosticCode } from '../../dsl/codes.ts';
import { diagnostic, type Diagnostic, type Label } from '../../dsl/diagnostics.ts';
import { ecsSchemaOrDefault, type EcsSchema } from '../ecs/index.ts';

export interface Extra {
  readonly secondary?: readonly Label[];
  readonly notes?: readonly string[];
}

/**
 * Declarations by name. Where a name is declared twice the FIRST declaration wins (the second
 * is reported as `E0114`), so later checks see one consistent meaning.
 */
export interface Symbols {
  /** The first `integration` declaration, if any. */
  readonly integration: IntegrationDecl | undefined;
  readonly settings: ReadonlyMap<string, SettingDecl>;
  readonly secrets: ReadonlyMap<string, SecretDecl>;
  readonly tables: ReadonlyMap<string, TableDecl>;
  readonly streams: readonly StreamDecl[];
}

export function collectSymbols(file: MapFile): Symbols {
  let integration: IntegrationDecl | undefined;
  const settings = new Map<string, SettingDecl>();
  const secrets = new Map<string, SecretDecl>();
  const tables = new Map<string, TableDecl>();
  const streams: StreamDecl[] = [];
  for (const decl of file.declarations) {
    switch (decl.kind) {
      case 'Integration':
        integration ??= decl;
        break;
      case 'Setting':
        if (!settings.has(decl.name.value)) settings.set(decl.name.value, decl);
        break;
      case 'Secret':
        if (!secrets.has(decl.name.value)) secrets.set(decl.name.value, decl);
        break;
      case 'Table':
        if (!tables.has(decl.name.value)) tables.set(decl.name.value, decl);
        break;
      case 'Stream':
        streams.push(decl);
        break;
    }
  }
  return { integration, settings, secrets, tables, streams };
}

export class CheckContext {
  readonly file: MapFile;
  readonly symbols: Symbols;
  /**
   * The ECS release the map chooses (`ecs "VERSION"` in its integration block), or the default;
   * a version mapc does not ship is reported (E0193) and the default is checked against.
   */
  readonly ecs: EcsSchema;
  readonly #diagnostics: Diagnostic[] = [];
  readonly #finish: (() => void)[] = [];

  constructor(file: MapFile) {
    this.file = file;
    this.symbols = collectSymbols(file);
    this.ecs = ecsSchemaOrDefault(this.symbols.integration?.ecs?.value);
  }

  /** Reports an error whose primary label is `label` at `span`. */
  error(code: DiagnosticCode, message: string, span: Span, label: string, extra: Extra = {}): void {
    this.#diagnostics.push(diagnostic(code, 'error', message, { span, message: label }, extra));
  }

  warning(code: DiagnosticCode, message: string, span: Span, label: string, extra: Extra = {}): void {
    this.#diagnostics.push(diagnostic(code, 'warning', message, { span, message: label }, extra));
  }

  /** Runs `fn` after the whole file has been walked (for checks that need every reference first). */
  onFinish(fn: () => void): void {
    this.#finish.push(fn);
  }

  /** Runs the `onFinish` callbacks in registration order; called once by `checkMap`. */
  finish(): void {
    for (const fn of this.#finish.splice(0)) fn();
  }

  get diagnostics(): readonly Diagnostic[] {
    return this.#diagnostics;
  }

  /** A zero-length span at the start of the file, for things missing from the whole file. */
  fileStart(): Span {
    return { file: this.file.file, offset: 0, length: 0, line: 1, column: 1 };
  }
}
