import { describe, expect, it } from 'vitest';
import { DEFAULT_ECS_VERSION, ECS_VERSIONS, ecsSchema, ecsSchemaOrDefault } from '../../compiler/ecs/index.ts';
import { closest, editDistance } from '../../dsl/suggest.ts';

const ecs = ecsSchema()!;
const ecsField = (name: string) => ecs.field(name);
const allowedValues = (name: string) => ecs.allowedValues(name);
const resolveEcsField = (name: string) => ecs.resolve(name);
const isEcsFieldSet = (name: string) => ecs.isFieldSet(name);
const suggestEcsFields = (name: string, max?: number) => ecs.suggest(name, max);

describe('ECS releases', () => {
  it('ships ECS 9.4.0 (the default) and 8.11.0, newest first', () => {
    expect(ECS_VERSIONS).toEqual(['9.4.0', '8.11.0']);
    expect(DEFAULT_ECS_VERSION).toBe('9.4.0');
    expect(ecs.version).toBe('9.4.0');
  });
  it('indexes each release from its own package', () => {
    const old = ecsSchema('8.11.0')!;
    expect(old.version).toBe('8.11.0');
    // entity.* arrived after 8.11; process.pgid was removed after it.
    expect(ecs.field('entity.id')).toMatchObject({ type: 'keyword' });
    expect(old.field('entity.id')).toBeUndefined();
    expect(old.field('process.pgid')).toMatchObject({ type: 'long' });
    expect(ecs.field('process.pgid')).toBeUndefined();
    expect(old.field('source.ip')).toMatchObject({ type: 'ip', array: false });
    expect(ecsSchema('8.11.0')).toBe(old);
  });
  it('knows no other release; the fallback is the default', () => {
    expect(ecsSchema('8.17.0')).toBeUndefined();
    expect(ecsSchemaOrDefault('8.17.0')).toBe(ecs);
    expect(ecsSchemaOrDefault(undefined)).toBe(ecs);
  });
});

describe('ECS index (@elastic/ecs 9.4.0)', () => {
  it('knows field types and normalize: array', () => {
    expect(ecsField('source.ip')).toMatchObject({ type: 'ip', array: false });
    expect(ecsField('related.ip')).toMatchObject({ type: 'ip', array: true });
    expect(ecsField('event.category')).toMatchObject({ type: 'keyword', array: true });
    expect(ecsField('@timestamp')).toMatchObject({ type: 'date', array: false });
    expect(ecsField('log.origin.file.line')).toMatchObject({ type: 'long' });
    expect(ecsField('source')).toBeUndefined();
  });
  it('lists allowed values of the categorisation fields', () => {
    expect(allowedValues('event.kind')).toContain('alert');
    expect(allowedValues('event.outcome')).toEqual(['failure', 'success', 'unknown']);
    expect(allowedValues('event.type')).toContain('creation');
    expect(allowedValues('user.name')).toBeUndefined();
  });
  it('resolves keys under object fields (labels) but not under leaf fields', () => {
    expect(resolveEcsField('labels.env')).toMatchObject({ type: 'keyword', array: false });
    expect(resolveEcsField('source.ip.x')).toBeUndefined();
    expect(resolveEcsField('acme.audit.x')).toBeUndefined();
  });
  it('knows field sets', () => {
    expect(isEcsFieldSet('source')).toBe(true);
    expect(isEcsFieldSet('endor_labs')).toBe(false);
  });
  it('suggests the closest field names', () => {
    expect(suggestEcsFields('source.ipp')).toEqual(['source.ip']);
    expect(suggestEcsFields('@timestmp')).toEqual(['@timestamp']);
    expect(suggestEcsFields('organisation.name')).toEqual(['organization.name']);
    expect(suggestEcsFields('completely.different.thing')).toEqual([]);
  });
  it('ranks a field set written without its parent first: a suffix match before edit distance', () => {
    // Edit distance alone gives host.name and ecs.version (issue 10).
    expect(suggestEcsFields('os.name')).toEqual(['host.os.name']);
    expect(suggestEcsFields('os.version')).toEqual(['host.os.version']);
    // Fewest added segments first, then the field set with more core fields (host 42, observer 16, user_agent 0).
    expect(suggestEcsFields('os.name', 4)).toEqual([
      'host.os.name',
      'observer.os.name',
      'user_agent.os.name',
      'host.target.os.name',
    ]);
    expect(suggestEcsFields('geo.city_name')).toEqual(['host.geo.city_name']);
    expect(suggestEcsFields('hash.sha256')).toEqual(['process.hash.sha256']);
    // A one-segment name is no field set path: edit distance only.
    expect(suggestEcsFields('tags')).toEqual([]);
    // A typo still gets the edit-distance guess.
    expect(suggestEcsFields('source.ipp')).toEqual(['source.ip']);
  });
});

describe('edit distance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
  it('gives up past the limit', () => {
    expect(editDistance('aaaaaaaa', 'bbbbbbbb', 2)).toBe(3);
  });
  it('ranks by distance, then name, within a third of the word length', () => {
    expect(closest('api_tokn', ['api_token', 'api_key', 'zzz'], 3)).toEqual(['api_token']);
    expect(closest('ab', ['xy'])).toEqual([]);
  });
});
