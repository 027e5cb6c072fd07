/** E0117 (`compiler/check/rules/names.ts`): integration, stream and setting names. */
import { describe, expect, it } from 'vitest';
import { baseMap } from '../helpers.ts';
import { at, edit, mark, one, pos, span } from './support.ts';

describe('E0117 invalid names', () => {
  it('an integration name that is not snake_case', () => {
    const source = edit(baseMap(), 'integration acme {', 'integration AcmeCorp {');
    const d = one(source, 'E0117');
    expect(d.message).toBe('invalid integration name AcmeCorp');
    expect(span(d)).toEqual(mark(source, 'AcmeCorp'));
    expect(d.notes).toContain('help: did you mean acme_corp?');
  });
  it('a stream name that is not snake_case, with the fix', () => {
    const source = edit(baseMap(), 'stream audit {', 'stream AuditLogs {');
    const d = one(source, 'E0117');
    expect(d.message).toBe('invalid stream name AuditLogs');
    expect(pos(d)).toBe(at(source, 'AuditLogs'));
    expect(d.notes).toContain('help: did you mean audit_logs?');
  });
  it('a setting named like a built-in placeholder', () => {
    const source = baseMap({ decls: 'setting cursor: string' });
    const d = one(source, 'E0117');
    expect(d.message).toBe('setting name cursor is reserved');
    expect(pos(d)).toBe(at(source, 'cursor: string'));
  });
});
