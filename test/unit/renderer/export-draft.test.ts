import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TABLE_FIELDS, ExportScope, FIELD_PRESETS, StartExportInput } from '../../../src/shared/export-wizard';
import {
  defaultDestination,
  defaultFileName,
  fieldsOf,
  initialDraft,
  initialScope,
  presetFields,
  presetOf,
  profileChoice,
  scopeOf,
  withExtension,
  type ExportContext,
} from '../../../src/renderer/src/features/export/export-draft';
import { diffWords } from '../../../src/renderer/src/features/export/text-diff';

const context: ExportContext = { query: 'status:failed', from: '2026-11-19', to: '2026-11-20T00:00:00.000000Z', selectedIds: ['act_1', 'act_2'] };

describe('scope', () => {
  it('starts with the selected rows, else the query, else everything', () => {
    expect(initialScope(context)).toBe('rows');
    expect(initialScope({ ...context, selectedIds: [] })).toBe('query');
    expect(initialScope({ query: '', from: '2026-11-19', selectedIds: [] })).toBe('query');
    expect(initialScope({ query: '', selectedIds: [] })).toBe('all');
  });

  it('becomes a request the contract accepts', () => {
    for (const kind of ['rows', 'query', 'all'] as const) expect(ExportScope.safeParse(scopeOf(kind, context)).success).toBe(true);
    expect(scopeOf('rows', context)).toEqual({ kind: 'rows', activationIds: ['act_1', 'act_2'] });
    expect(scopeOf('query', { query: '', selectedIds: [] })).toEqual({ kind: 'query', query: '' });
  });
});

describe('columns', () => {
  it('knows a preset by its columns in any order, and says custom otherwise', () => {
    for (const p of FIELD_PRESETS) expect(presetOf([...presetFields(p.id)].reverse())).toBe(p.id);
    expect(presetOf(['activation_id'])).toBe('custom');
    expect(presetOf([...DEFAULT_TABLE_FIELDS])).toBe('full');
  });

  it('leaves each format its default for full records', () => {
    expect(fieldsOf({ preset: 'full', fields: [...DEFAULT_TABLE_FIELDS] })).toBeUndefined();
    expect(fieldsOf({ preset: 'custom', fields: ['timestamp'] })).toEqual(['timestamp']);
  });

  it('keeps personal data and text out of the compliance summary', () => {
    const compliance = presetFields('compliance');
    for (const f of ['content_input.author.name', 'content_input.author.email', 'processing_metadata.user_id', 'content_input.body', 'content_input.title']) {
      expect(compliance).not.toContain(f);
    }
  });
});

describe('destination', () => {
  it('swaps a known extension for the format\'s, and adds one otherwise', () => {
    expect(withExtension('/x/a.csv', 'xlsx')).toBe('/x/a.xlsx');
    expect(withExtension('/x/a.JSONL', 'pdf')).toBe('/x/a.pdf');
    expect(withExtension('/x/notes.txt', 'csv')).toBe('/x/notes.txt.csv');
    expect(withExtension('', 'csv')).toBe('');
  });

  it('suggests a file in the default folder named after the archive and the day', () => {
    const now = new Date('2026-11-28T10:00:00Z');
    expect(defaultFileName('acme/../archive 2026', 'parquet', now)).toBe('acme-..-archive-2026-export-2026-11-28.parquet');
    expect(defaultFileName('..', 'csv', now)).toBe('archive-export-2026-11-28.csv');
    const setup = { archiveName: 'sample', defaultFolder: '/home/me/Downloads', separator: '/' as const, nativeDialog: false, canShowInFolder: false };
    expect(defaultDestination(setup, 'csv', now)).toBe('/home/me/Downloads/sample-export-2026-11-28.csv');
    expect(defaultDestination({ ...setup, defaultFolder: 'C:\\Users\\me\\', separator: '\\' }, 'pdf', now)).toBe('C:\\Users\\me\\sample-export-2026-11-28.pdf');
  });

  it('makes a start request the contract accepts', () => {
    const draft = { ...initialDraft(context), out: '/tmp/x.csv' };
    const request = { scope: scopeOf(draft.scope, context), profile: profileChoice(draft.profile)!, format: draft.format, out: draft.out, fields: fieldsOf(draft) };
    expect(StartExportInput.safeParse(request).success).toBe(true);
  });
});

describe('custom profile text', () => {
  it('is sent as its object, and nothing that is not one', () => {
    expect(profileChoice({ kind: 'named', name: 'internal' })).toBe('internal');
    expect(profileChoice({ kind: 'custom', text: '{"name": "x"}' })).toEqual({ name: 'x' });
    expect(profileChoice({ kind: 'custom', text: '[1]' })).toBeUndefined();
    expect(profileChoice({ kind: 'custom', text: '{"name":' })).toBeUndefined();
  });
});

describe('word differences', () => {
  it('marks only the words redaction changed', () => {
    const d = diffWords('Thanks, said Emma Chen from Berlin.', 'Thanks, said PERSON_2 from Berlin.');
    expect(d.before).toEqual([
      { text: 'Thanks, said ', changed: false },
      { text: 'Emma Chen', changed: true },
      { text: ' from Berlin.', changed: false },
    ]);
    expect(d.after.filter((p) => p.changed).map((p) => p.text)).toEqual(['PERSON_2']);
  });

  it('gives back both texts whole, for any two texts', () => {
    const words = fc.array(fc.constantFrom('Anna', 'PERSON_1', ' ', '  ', 'x', '\n', 'mail@x.example'), { maxLength: 30 }).map((w) => w.join(''));
    fc.assert(
      fc.property(words, words, (a, b) => {
        const d = diffWords(a, b);
        return d.before.map((p) => p.text).join('') === a && d.after.map((p) => p.text).join('') === b;
      }),
    );
  });

  it('gives back both texts whole, however they differ', () => {
    for (const [a, b] of [
      ['', 'x y'],
      ['a b c', ''],
      ['same', 'same'],
      ['mail a@b.example now', 'mail EMAIL_1 now'],
    ]) {
      const d = diffWords(a!, b!);
      expect(d.before.map((p) => p.text).join('')).toBe(a);
      expect(d.after.map((p) => p.text).join('')).toBe(b);
    }
  });
});
