/**
 * Hover text (Markdown) for what is under the cursor: ECS fields and field sets (type and
 * description from `@elastic/ecs`), transforms (the registry's signature, doc and examples),
 * settings, secrets and tables (their declaration).
 *
 * @module
 */
import { ecsSchemaOrDefault } from '../../compiler/ecs/index.ts';
import { ecsFieldMarkdown, ecsSetMarkdown } from './ecs.ts';
import { referenceAt, type Range } from './reference.ts';
import { declaredSymbols, type DeclaredSetting, type DeclaredTable, type Symbols } from './symbols.ts';
import type { DocumentTokens } from './tokens.ts';

export interface HoverText {
  readonly markdown: string;
  readonly range: Range;
}

function info(d: { title?: string; description?: string }): string {
  const parts = [d.title ? `*${d.title}*` : '', d.description ?? ''].filter((p) => p !== '');
  return parts.length > 0 ? `\n\n${parts.join(' — ')}` : '';
}

function settingMarkdown(s: DeclaredSetting): string {
  const dflt = s.default !== undefined ? ` = ${s.default}` : '';
  return `\`\`\`mapc\nsetting ${s.name}: ${s.type}${dflt}${s.required ? ' required' : ''}\n\`\`\`${info(s)}`;
}

function tableMarkdown(t: DeclaredTable): string {
  const rows = t.entries.slice(0, 10).map(([from, to]) => `| \`${from}\` | \`${to}\` |`);
  const more = t.entries.length > rows.length ? `\n\n… ${t.entries.length} entries in all` : '';
  const dflt =
    t.default !== undefined ? `\n\ndefault: \`${t.default}\`` : '\n\nno default: an unknown value writes nothing';
  const table = rows.length > 0 ? `\n\n| value | becomes |\n|---|---|\n${rows.join('\n')}` : '';
  return `**table ${t.name}** (${t.entries.length} entries)${table}${more}${dflt}`;
}

function declared(symbols: Symbols, kind: 'setting' | 'secret' | 'table', name: string): string | undefined {
  if (kind === 'setting') {
    const s = symbols.settings.find((x) => x.name === name);
    return s ? settingMarkdown(s) : undefined;
  }
  if (kind === 'secret') {
    const s = symbols.secrets.find((x) => x.name === name);
    return s ? `\`\`\`mapc\nsecret ${s.name}\n\`\`\`${info(s)}` : undefined;
  }
  const t = symbols.tables.find((x) => x.name === name);
  return t ? tableMarkdown(t) : undefined;
}

/** The hover for `offset`, or `undefined` when there is nothing to say. */
export function hoverAt(doc: DocumentTokens, offset: number): HoverText | undefined {
  const ref = referenceAt(doc, offset);
  if (ref === undefined) return undefined;
  switch (ref.kind) {
    case 'setting':
    case 'secret':
    case 'table': {
      const markdown = declared(declaredSymbols(doc), ref.kind, ref.name);
      return markdown ? { markdown, range: ref.range } : undefined;
    }
    case 'transform': {
      const examples = ref.spec.examples.join('\n');
      return {
        markdown: `**${ref.spec.signature}** (transform)\n\n${ref.spec.doc}\n\n\`\`\`mapc\n${examples}\n\`\`\``,
        range: ref.range,
      };
    }
    case 'path': {
      const upTo = ref.segments.slice(0, ref.index + 1).join('.');
      const ecs = ecsSchemaOrDefault(declaredSymbols(doc).ecsVersion);
      const field = ecs.field(upTo);
      if (field) return { markdown: ecsFieldMarkdown(ecs, field), range: ref.range };
      if (ecs.isFieldSet(upTo)) return { markdown: ecsSetMarkdown(ecs, upTo), range: ref.range };
      return undefined;
    }
  }
}
