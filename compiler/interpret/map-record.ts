/**
 * One record in, one ECS document out: the normative steps 1-7 (and 4a) of the module comment of
 * `compiler/ir.ts`, in that order. Step 8 (the collection time as `@timestamp`) is the engines'
 * alone: the interpreter leaves `@timestamp` unset. A `collected_at` rule writes the collection
 * time the caller gives ({@link MapOptions}), nothing without one.
 *
 * @module
 */
import { conversionErrorMessage, redactedSource, type MappingIR, type RuleIR, type StreamIR } from '../ir.ts';
import { evaluateCondition, isTrue, type ConditionContext } from './conditions.ts';
import { nestedDeeperThan, tooDeepDocument } from './depth.ts';
import { documentId } from './document-id.ts';
import { InterpretError } from './errors.ts';
import { cloneJson, isObject, setOwn, type JsonObject } from './json.ts';
import { parseJsonText } from './json-text.ts';
import { deletePath, getPath, hasValue, setPath } from './paths.ts';
import { dropEmptyValues } from './prune.ts';
import { applyTransforms } from './transforms.ts';
import { conforms } from './conform.ts';
import { FAIL, type TransformOutcome } from './outcome.ts';
import { enrich, type GeoDatabase } from './geoip.ts';
import { parseUserAgentInto } from './user-agent.ts';

/**
 * The document a record becomes, and its id (the document's `_id`, never in the body). `dropped`:
 * a `drop when` held, so the record becomes no document (`doc` is then `{}` and there is no id).
 */
export interface MappedRecord {
  readonly id?: string;
  readonly doc: Record<string, unknown>;
  readonly dropped?: true;
}

/** What the caller knows beyond the record and the settings. */
export interface MapOptions {
  /**
   * The collection time (`ValueIR` `collection_time`), already in the IR's date form
   * `yyyy-MM-ddTHH:mm:ss.SSSZ` ({@link collectionTimeText}); absent: `collected_at` rules write
   * nothing.
   */
  readonly collectedAt?: string;
  /**
   * The MaxMind databases `geoip` and `asn` read (step 4a, {@link openGeoDatabase}), the first
   * of each kind; absent or without one of a kind: that enrichment writes nothing.
   */
  readonly geoDatabases?: readonly GeoDatabase[];
  /**
   * "Now" of the `now` conditions (`ConditionIR` `now`), in milliseconds since the epoch: the
   * time the record is processed. Absent: the wall clock, read once when the record's mapping
   * starts. `mapc preview --now` and `mapc collect` (its poll time) set it; tests fix it.
   */
  readonly now?: number;
}

/** An instant in the IR's date form (UTC, milliseconds): `Date.prototype.toISOString` is exactly it for years 0-9999. */
export function collectionTimeText(instant: Date): string {
  return instant.toISOString();
}

/**
 * Maps one record.
 *
 * A record nested deeper than `MAX_RECORD_DEPTH` becomes the fixed error document of the record
 * semantics (`compiler/ir.ts`), with no id. A record a `drop when` holds for is `dropped`.
 *
 * @param message the record's JSON text (the event's `message`)
 * @param settings setting values by name, defaults already applied (see `defaultSettings`);
 *   only `bool` settings are read here (`original when`, `when setting.x`)
 * @param options the collection time `collected_at` rules write, the `now` of `now` tests, the
 *   enrichment databases
 * @throws InterpretError E0701 when `message` is not the JSON text of an object
 */
export function mapRecord(
  stream: StreamIR,
  message: string,
  settings: Readonly<Record<string, unknown>>,
  options: MapOptions = {},
): MappedRecord {
  const { mapping } = stream;
  const original = parseRecord(message);
  if (nestedDeeperThan(original)) return { doc: tooDeepDocument() };
  // One instant for every `now` test of the record.
  const clock: ConditionContext = { settings, now: options.now ?? Date.now() };
  // Step 0: `drop when`, on the record as received.
  if (mapping.drop?.some((c) => evaluateCondition(c, original, clock))) return { doc: {}, dropped: true };
  // Step 6 reads the original values: compute the id before any rule edits the record.
  const id = mapping.documentId ? documentId(mapping.documentId, original) : undefined;

  // Step 1 (a second parse: the rules edit this copy, the id read the original).
  const record = parseRecord(message);
  const doc: JsonObject = {};
  if (mapping.keepUnmapped) placeRecord(doc, mapping, record);
  if (mapping.original && isTrue(settings[mapping.original.setting])) setPath(doc, ['event', 'original'], message);
  const location = mapping.keepUnmapped && mapping.namespace.length === 0 ? doc : record;

  // Steps 2-4.
  for (const rule of mapping.rules) runRule(rule, location, doc, clock, options);
  // Step 4a.
  for (const item of mapping.enrich ?? []) enrich(doc, item, options.geoDatabases ?? []);
  if (mapping.userAgent !== undefined) parseUserAgentInto(doc, mapping.userAgent);

  // Step 5. Step 7 needs nothing: without keepUnmapped the record never entered `doc`.
  // Every conditional remove tests the record as the rules left it, before any removal.
  const removeNow = (mapping.removeWhen ?? []).filter((r) => evaluateCondition(r.when, location, clock));
  for (const r of removeNow) for (const path of r.paths) deletePath(location, path);
  for (const path of mapping.remove) deletePath(location, path);
  for (const { path, whenDestinationSet: whenDestinationSet } of mapping.consumed) {
    if (getPath(doc, whenDestinationSet) !== undefined) deletePath(location, path);
  }
  if (mapping.dropEmpty) dropEmptyValues(doc, mapping.namespace);
  return id === undefined ? { doc } : { id, doc };
}

/** @throws InterpretError E0701 unless `message` is the JSON text of an object. */
function parseRecord(message: string): JsonObject {
  const parsed = parseJsonText(message);
  if (!parsed.ok) {
    const { line, column } = parsed.location;
    throw new InterpretError('E0701', `record is not valid JSON (${line}:${column}): ${parsed.message}`);
  }
  if (!isObject(parsed.value)) throw new InterpretError('E0701', 'record is not a JSON object');
  return parsed.value;
}

/** Puts the record at the namespace; an empty namespace makes the record the document root. */
function placeRecord(doc: JsonObject, mapping: MappingIR, record: JsonObject): void {
  if (mapping.namespace.length === 0) {
    for (const [key, value] of Object.entries(record)) setOwn(doc, key, value);
  } else {
    setPath(doc, mapping.namespace, record);
  }
}

/**
 * Steps 2-4 for one rule: condition, read, transforms, write or report. A failing rule that
 * redacts deletes its source path from the record (step 4: redaction fails closed). With a
 * record schema, a present value its declared type does not allow fails the rule too (tier 2).
 */
function runRule(
  rule: RuleIR,
  record: JsonObject,
  doc: JsonObject,
  clock: ConditionContext,
  options: MapOptions,
): void {
  if (rule.when && !evaluateCondition(rule.when, record, clock)) return;
  let outcome: TransformOutcome;
  if (rule.value.kind === 'const') {
    outcome = { kind: 'value', value: rule.value.value };
  } else if (rule.value.kind === 'collection_time') {
    // `collected_at`: the caller's collection time; without one the rule does nothing (step 3).
    if (options.collectedAt === undefined) return;
    outcome = { kind: 'value', value: options.collectedAt };
  } else if (rule.value.kind === 'copy') {
    // `copy(FIELD)`: the document as earlier rules left it; missing or null does nothing (step 3).
    if (!hasValue(doc, rule.value.from)) return;
    outcome = { kind: 'value', value: getPath(doc, rule.value.from) };
  } else if (rule.value.kind === 'elements') {
    // The array's object elements with their listed fields; no array does nothing (step 3).
    const value = elementsValue(record, rule.value);
    if (value === undefined) return;
    outcome = { kind: 'value', value };
  } else if (rule.value.kind === 'select') {
    // A selected element's value: nothing selected, missing or null does nothing (step 3); never fails.
    const value = selectedValue(record, rule.value);
    if (value === undefined || value === null) return;
    outcome = applyTransforms(value, rule.value.transforms);
  } else {
    if (!hasValue(record, rule.value.path)) return; // step 3: missing or null does nothing
    const value = getPath(record, rule.value.path);
    // Tier 2 ("Record schemas"): a value its declaration does not allow fails the rule.
    const source = rule.value.source;
    outcome = source && !conforms(value, source) ? FAIL : applyTransforms(value, rule.value.transforms);
  }
  if (outcome.kind === 'skip') return;
  const written = outcome.kind === 'value' && write(doc, rule, cloneJson(outcome.value));
  if (written) return;
  // `on_error ignore`: the failure writes and appends nothing; a redaction still fails closed.
  if (rule.onError !== 'ignore') appendError(doc, conversionErrorMessage(rule));
  const unredacted = redactedSource(rule);
  if (unredacted) deletePath(record, unredacted);
}

/**
 * The value a selection reads (compiler/ir.ts ValueIR `select`): in the array at `array`, the
 * first element that is an object whose `key` equals `equals` (strict JSON equality, as the
 * condition `equals`), then its value at `rest`; `undefined` when the array is missing or not an
 * array, or no element matches.
 */
export function selectedValue(record: unknown, select: Extract<RuleIR['value'], { kind: 'select' }>): unknown {
  const array = getPath(record, select.array);
  if (!Array.isArray(array)) return undefined;
  const element: unknown = array.find((e) => isObject(e) && getPath(e, select.key) === select.equals);
  return element === undefined ? undefined : getPath(element, select.rest);
}

/**
 * The value of `ARRAY[] { fields }` (compiler/ir.ts ValueIR `elements`): per element that is an
 * object, a new object of the fields present and not null, in the listed order; `undefined` when
 * the value at `array` is not an array.
 */
export function elementsValue(
  record: unknown,
  elements: Extract<RuleIR['value'], { kind: 'elements' }>,
): JsonObject[] | undefined {
  const array = getPath(record, elements.array);
  if (!Array.isArray(array)) return undefined;
  return array.filter(isObject).map((e) => {
    const out: JsonObject = {};
    for (const { name, from } of elements.fields) {
      const v = getPath(e, from);
      if (v !== undefined && v !== null) setOwn(out, name, v);
    }
    return out;
  });
}

/**
 * `set` overwrites. `append` makes the destination an array (a present scalar becomes its first
 * element) and adds the value unless an equal one is already there; an array value adds each of
 * its elements the same way. Returns false when the destination's parent is not an object.
 */
function write(doc: JsonObject, rule: RuleIR, value: unknown): boolean {
  if (rule.op === 'set') return setPath(doc, rule.destination, value);
  const existing = getPath(doc, rule.destination);
  const list: unknown[] = Array.isArray(existing)
    ? existing
    : existing === undefined || existing === null
      ? []
      : [existing];
  for (const item of Array.isArray(value) ? value : [value]) {
    if (!list.some((present) => sameValue(present, item))) list.push(item);
  }
  return setPath(doc, rule.destination, list);
}

/**
 * Strict JSON equality, as `append` dedupes: same type and value; arrays element by element in
 * order; objects by their key sets, whatever the key order (Java's `Map.equals`, VRL's object
 * equality). `0` and `"0"` differ; `1` and `1.0` are the same JSON number.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const aKeys = Object.keys(a);
  const bRecord = b as Record<string, unknown>;
  return (
    aKeys.length === Object.keys(b).length &&
    aKeys.every((key) => Object.hasOwn(bRecord, key) && sameValue((a as Record<string, unknown>)[key], bRecord[key]))
  );
}

/** Step 4: `error.message` is an array of strings; a scalar already there becomes its first element. */
function appendError(doc: JsonObject, text: string): void {
  const existing = getPath(doc, ['error', 'message']);
  const list = Array.isArray(existing) ? existing : existing === undefined ? [] : [existing];
  list.push(text);
  if (!setPath(doc, ['error', 'message'], list)) {
    throw new InterpretError('E0300', `cannot record "${text}": error is not an object in the document`);
  }
}
