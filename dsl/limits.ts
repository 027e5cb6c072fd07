/**
 * The bounds of the `.map` language: the one place each limit lives. The parser enforces
 * {@link MAX_NESTING} (so that it never recurses deeper than that on user input); the checks
 * (`compiler/check/rules/bounds.ts`) enforce the rest as `E0128`; `docs/language.md` ("Bounds")
 * states each one with its reason.
 *
 * @module
 */

/**
 * Brackets (`{`, `[`, `(`) open at once anywhere in a file. A map needs about 4 for its blocks
 * plus its JSON body's depth ({@link MAX_JSON_DEPTH}); deeper text is refused by the parser
 * (`E0013`) before any rule recurses on it.
 */
export const MAX_NESTING = 64;

/** Levels of a request's JSON body (the body object is level 1). Real APIs use 2 to 4. */
export const MAX_JSON_DEPTH = 16;

/**
 * Segments of a field path. Elasticsearch refuses a document field deeper than its
 * `index.mapping.depth.limit`, 20 by default
 * (https://www.elastic.co/guide/en/elasticsearch/reference/8.18/mapping-settings-limit.html).
 */
export const MAX_PATH_SEGMENTS = 20;

/** Transforms after one value (`a | lowercase | lookup(t)` has 2). Useful chains have 1 to 3. */
export const MAX_TRANSFORMS = 16;

/**
 * Characters `mask(n)` keeps. A mask keeps a short recognisable prefix (4 is usual); every
 * target builds it from a regular expression repeating `n` and `2n` times, and VRL's regex
 * compiler refuses very large repetitions (`mask(50000)` failed with its size limit).
 */
export const MASK_KEEP = { min: 0, max: 256 } as const;

/** `max_pages`: at least one page, at most 10,000 a run (the cap exists to bound a run). */
export const MAX_PAGES = { min: 1, max: 10_000 } as const;

/** `retry { attempts n }`: 100 attempts with the longest backoff already wait for hours. */
export const MAX_RETRY_ATTEMPTS = 100;

/**
 * The longest duration a map may write (`interval`, `lifetime`, `renew_before`, `step`,
 * `backoff`, a `duration` setting's default): 365 days, far inside every engine's duration type
 * (Go's `time.Duration` ends near 292 years).
 */
export const MAX_DURATION_MS = 365 * 86_400_000;

/**
 * The largest magnitude of a number literal: 2^53 - 1 (`Number.MAX_SAFE_INTEGER`). Beyond it a
 * JSON number is no longer exact in JavaScript (the compiler, `mapc collect`), so the value the
 * targets write would not be the one the map says.
 */
export const MAX_NUMBER = Number.MAX_SAFE_INTEGER;

/**
 * Levels of a record condition: a test is level 1, each `not`, `and` or `or` above it adds one.
 * Every target writes a condition as nested expressions (Painless, VRL, Logstash conditionals);
 * real conditions use 2 or 3 levels.
 */
export const MAX_CONDITION_DEPTH = 16;

/** Values of one `in [...]` list. A longer list is a lookup table's job. */
export const MAX_IN_VALUES = 256;

/**
 * Days a `now` test may move now either way (`now - 30d`): a century covers every retention,
 * and every engine's millisecond arithmetic stays exact.
 */
export const MAX_NOW_OFFSET_DAYS = 36_500;
