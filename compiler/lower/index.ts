/**
 * Lowering: a checked `.map` AST to the {@link IntegrationIR} of `compiler/ir.ts`. Pure; runs
 * only on files the checks passed, so anything unexpected is reported as `E0300` rather than
 * thrown.
 *
 * @module
 */
import type { AgentlessBlock, MapFile, SecretDecl, SettingDecl, StreamDecl, TableDecl } from '../../dsl/ast.ts';
import { diagnostic, type Diagnostic } from '../../dsl/diagnostics.ts';
import { ecsSchemaOrDefault, type EcsSchema } from '../ecs/index.ts';
import { collectSymbols } from '../check/context.ts';
import { resolveDefaults } from '../defaults.ts';
import { envVarName } from '../check/names.ts';
import {
  IR_VERSION,
  type AgentlessIR,
  type IntegrationIR,
  type SecretIR,
  type SettingIR,
  type StreamIR,
} from '../ir.ts';
import { LoweringError, seconds, span, type Names } from './common.ts';
import { lowerMapping } from './mapping.ts';
import { lowerSchema } from './schema.ts';
import { lowerSource } from './source.ts';

export interface LowerResult {
  readonly ir?: IntegrationIR;
  readonly diagnostics: readonly Diagnostic[];
}

/** Lowers `file`; `sourceFile` (default: the AST's file name) is recorded as `IntegrationIR.sourceFile`. */
export function lowerMap(file: MapFile, sourceFile: string = file.file): LowerResult {
  try {
    // Shared defaults are resolved here: the IR has no trace of them.
    return { ir: lower(resolveDefaults(file), sourceFile), diagnostics: [] };
  } catch (error) {
    if (!(error instanceof LoweringError)) throw error;
    return {
      diagnostics: [
        diagnostic('E0300', 'error', `cannot lower: ${error.message}`, { span: error.span, message: 'here' }),
      ],
    };
  }
}

function lower(file: MapFile, sourceFile: string): IntegrationIR {
  const symbols = collectSymbols(file);
  const integration = symbols.integration;
  if (!integration) throw new LoweringError('no integration declaration', file.loc);
  const name = integration.name.value;
  const ecs = ecsSchemaOrDefault(integration.ecs?.value);
  const names: Names = {
    settings: new Set(symbols.settings.keys()),
    secrets: new Set(symbols.secrets.keys()),
    durationSettings: new Set([...symbols.settings].filter(([, d]) => d.type.value === 'duration').map(([n]) => n)),
  };
  return {
    irVersion: IR_VERSION,
    name,
    title: integration.title?.value ?? name,
    vendor: integration.vendor?.value ?? '',
    version: integration.version?.value ?? '',
    description: integration.description?.value ?? '',
    ...(integration.changelog ? { changelogUrl: integration.changelog.value } : {}),
    ...(integration.agentless ? { agentless: lowerAgentless(integration.agentless) } : {}),
    ecsVersion: ecs.version,
    settings: [...symbols.settings.values()].map((s) => lowerSetting(name, s)),
    secrets: [...symbols.secrets.values()].map((s) => lowerSecret(name, s)),
    streams: symbols.streams.map((s) => lowerStream(name, s, names, symbols.tables, ecs)),
    sourceFile,
  };
}

function lowerSetting(integration: string, decl: SettingDecl): SettingIR {
  return {
    name: decl.name.value,
    type: decl.type.value,
    title: decl.title?.value ?? decl.name.value,
    description: decl.description?.value ?? '',
    required: decl.required,
    ...(decl.default ? { default: decl.default.value } : {}),
    envVar: envVarName(integration, decl.name.value),
    loc: span(decl.loc),
  };
}

function lowerSecret(integration: string, decl: SecretDecl): SecretIR {
  return {
    name: decl.name.value,
    title: decl.title?.value ?? decl.name.value,
    description: decl.description?.value ?? '',
    envVar: envVarName(integration, decl.name.value),
    loc: span(decl.loc),
  };
}

function lowerStream(
  integration: string,
  stream: StreamDecl,
  names: Names,
  tables: ReadonlyMap<string, TableDecl>,
  ecs: EcsSchema,
): StreamIR {
  const interval = stream.interval;
  if (!interval) throw new LoweringError(`stream ${stream.name.value} has no interval`, stream.name.loc);
  if (!stream.dataset) throw new LoweringError(`stream ${stream.name.value} has no dataset`, stream.name.loc);
  const { schema, typeOf } = lowerSchema(stream);
  return {
    name: stream.name.value,
    title: stream.title?.value ?? stream.name.value,
    description: stream.description?.value ?? '',
    dataset: stream.dataset.value,
    interval:
      interval.value.kind === 'Duration'
        ? { kind: 'seconds', seconds: seconds(interval.value) }
        : { kind: 'setting', name: interval.value.name.value },
    source: lowerSource(stream, names, typeOf),
    mapping: lowerMapping(integration, stream, tables, ecs, typeOf),
    ...(schema ? { schema } : {}),
    loc: span(stream.loc),
  };
}

/** The owners of an agentless deployment (the checks made sure all three are there: E0113). */
function lowerAgentless(block: AgentlessBlock): AgentlessIR {
  return {
    organization: block.organization?.value ?? '',
    division: block.division?.value ?? '',
    team: block.team?.value ?? '',
  };
}
