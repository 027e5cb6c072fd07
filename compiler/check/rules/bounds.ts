import type { AstNode, NumberLiteral, Span } from '../../../dsl/ast.ts';
import {
  MASK_KEEP,
  MAX_DURATION_MS,
  MAX_JSON_DEPTH,
  MAX_NUMBER,
  MAX_PAGES,
  MAX_PATH_SEGMENTS,
  MAX_RETRY_ATTEMPTS,
  MAX_TRANSFORMS,
} from '../../../dsl/limits.ts';
import type { CheckContext } from '../context.ts';
import { goDurationMilliseconds } from '../../literals.ts';
import type { CheckRule } from '../rule.ts';

const DOCS = 'note: the bounds of the language are listed in docs/language.md ("Bounds")';

function outOfBounds(ctx: CheckContext, message: string, span: Span, label: string, help?: string): void {
  ctx.error('E0128', message, span, label, { notes: [DOCS, ...(help ? [`help: ${help}`] : [])] });
}

/** An integer item within `[min, max]`; a number already too large for any item is the Number visitor's. */
function inRange(ctx: CheckContext, what: string, n: NumberLiteral | undefined, min: number, max: number): void {
  if (!n || !n.integer || Math.abs(n.value) > MAX_NUMBER) return;
  if (n.value >= min && n.value <= max) return;
  outOfBounds(
    ctx,
    `${what} must be between ${min} and ${max.toLocaleString('en-US')}`,
    n.loc,
    `expected ${min} to ${max.toLocaleString('en-US')}`,
  );
}

/** Nesting level of a JSON body node: the body object is level 1. */
function jsonLevel(ancestors: readonly AstNode[]): number {
  let level = 1;
  for (const a of ancestors) if (a.kind === 'JsonObject' || a.kind === 'JsonArray') level++;
  return level;
}

const DAYS = MAX_DURATION_MS / 86_400_000;

/**
 * Every bound of the language (`dsl/limits.ts`) holds (E0128): number literals within
 * ±(2^53 - 1); field paths of at most 20 segments; at most 16 transforms after a value; JSON
 * bodies at most 16 levels deep; `mask(n)` keeps 0 to 256 characters; `max_pages` 1 to 10,000;
 * `retry attempts` at most 100; durations (literals and `duration` setting defaults) at most
 * 365 days. Each error points at the first thing past the bound.
 */
/** At most {@link MAX_TRANSFORMS} transforms after one value (a field or a selection). */
function transformsBound(ctx: CheckContext, transforms: readonly { readonly loc: Span }[]): void {
  const first = transforms[MAX_TRANSFORMS];
  if (!first) return;
  outOfBounds(
    ctx,
    `${transforms.length} transforms after one value; at most ${MAX_TRANSFORMS} are allowed`,
    first.loc,
    `transform ${MAX_TRANSFORMS + 1}`,
  );
}

export const BoundsRule: CheckRule = (ctx) => ({
  Number(n) {
    if (Number.isFinite(n.value) && Math.abs(n.value) <= MAX_NUMBER) return;
    outOfBounds(
      ctx,
      `number ${n.raw.length > 24 ? `${n.raw.slice(0, 21)}...` : n.raw} is too large`,
      n.loc,
      'beyond ±9,007,199,254,740,991 (2^53 - 1)',
      'beyond 2^53 a number is no longer exact in JSON as JavaScript reads it, so the targets would not all write the same value',
    );
  },
  Path(path) {
    const first = path.segments[MAX_PATH_SEGMENTS];
    if (!first) return;
    outOfBounds(
      ctx,
      `field path has ${path.segments.length} segments; at most ${MAX_PATH_SEGMENTS} are allowed`,
      first.loc,
      `segment ${MAX_PATH_SEGMENTS + 1}`,
      `Elasticsearch refuses fields deeper than ${MAX_PATH_SEGMENTS} levels (index.mapping.depth.limit)`,
    );
  },
  FieldValue: (value) => transformsBound(ctx, value.transforms),
  SelectValue: (value) => transformsBound(ctx, value.transforms),
  JsonObject(node, ancestors) {
    if (jsonLevel(ancestors) === MAX_JSON_DEPTH + 1) jsonTooDeep(ctx, node.loc);
  },
  JsonArray(node, ancestors) {
    if (jsonLevel(ancestors) === MAX_JSON_DEPTH + 1) jsonTooDeep(ctx, node.loc);
  },
  MaskTransform(mask) {
    inRange(ctx, 'mask', mask.keep, MASK_KEEP.min, MASK_KEEP.max);
  },
  MaxPages(item) {
    inRange(ctx, 'max_pages', item.value, MAX_PAGES.min, MAX_PAGES.max);
  },
  Retry(retry) {
    inRange(ctx, 'retry attempts', retry.attempts, 0, MAX_RETRY_ATTEMPTS);
  },
  Duration(d) {
    if (d.milliseconds <= MAX_DURATION_MS) return;
    outOfBounds(ctx, `duration ${d.raw} is longer than ${DAYS} days`, d.loc, `at most ${DAYS}d`);
  },
  Setting(decl) {
    if (decl.type.value !== 'duration' || decl.default?.kind !== 'String') return;
    const ms = goDurationMilliseconds(decl.default.value);
    if (ms === undefined || ms <= MAX_DURATION_MS) return;
    outOfBounds(
      ctx,
      `default of setting ${decl.name.value} is longer than ${DAYS} days`,
      decl.default.loc,
      `at most ${DAYS * 24}h`,
    );
  },
});

function jsonTooDeep(ctx: CheckContext, span: Span): void {
  outOfBounds(ctx, `JSON body nested more than ${MAX_JSON_DEPTH} levels deep`, span, `level ${MAX_JSON_DEPTH + 1}`);
}
