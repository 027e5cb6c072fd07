/**
 * The Elastic Agent CEL input of one data stream: `agent/stream/cel.yml.hbs`.
 *
 * The template holds the input options (`interval`, `resource.url`, `resource.retry`,
 * `resource.redirect.max_redirects: 0`, `resource.max_body_size`, `resource.rate_limit`,
 * `max_executions`), the program's `state` (settings and secrets as Fleet variables, never
 * literals), `redact.fields` (every secret state key and the cached token), the CEL `program`,
 * and the standard `tags` / `processors` blocks.
 *
 * The program (see `cel/program.ts`) fetches one page per evaluation and emits one event
 * `{"message": <JSON text of the split record>}` per record; the ingest pipeline parses
 * `message`. It runs on mito, Elastic's CEL runtime (github.com/elastic/mito, verified with
 * v1.24.1 in `test/engines/mito/`), and the CEL input of Elastic Agent 8.x/9.x. Its run-time
 * safety (credentials to the configured origin only, no response text in events or logs, state
 * that cannot lose a record, loop detection, bounds) follows the IR module doc, section "Run-time
 * safety and incremental state": `cel/sequence.ts`, `cel/origin.ts`, `cel/failure.ts`.
 *
 * Fleet variables: one per setting and secret, named like it (secrets declared `secret: true`),
 * plus {@link STANDARD_VARIABLES} (`tags`, `processors`).
 *
 * @module
 */
import type { IntegrationIR, StreamIR } from '../../compiler/ir.ts';
import type { Diagnostic } from '../../dsl/diagnostics.ts';
import { authPlan } from './cel/auth.ts';
import { CelContext } from './cel/context.ts';
import { programText } from './cel/program.ts';
import { streamTemplate } from './cel/stream-template.ts';
import { celProgram, located } from './quote.ts';

export { STANDARD_VARIABLES } from './cel/stream-template.ts';
export { CONTROL_FIELD } from './cel/program.ts';

export interface CelInputResult {
  /** The `cel.yml.hbs` text (Handlebars, rendered by Fleet). */
  readonly template: string;
  /** E042x: nothing usable for that construct; W042x: a documented fallback. */
  readonly diagnostics: Diagnostic[];
}

/**
 * Emits the CEL input stream template for `stream` of `ir`.
 *
 * @throws TargetRefusal (E0403) for map text that cannot be quoted into the template, at the
 *   template's span, else the stream's; the backend's `emit` turns it into a diagnostic.
 */
export function emitCelInput(ir: IntegrationIR, stream: StreamIR): CelInputResult {
  return located(stream.loc, () => {
    const ctx = new CelContext(ir, stream);
    const auth = authPlan(ctx);
    const template = streamTemplate(ctx, auth, celProgram(programText(ctx, auth)));
    return { template, diagnostics: ctx.diagnostics };
  });
}
