// Keyword columns: whatever dictionary builder a column uses (a Map for repeating values, one sort
// at the end for ids), the finished column is the sorted set of distinct values and every row's
// code points at its own value.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ColumnsBuilder, compareKeywords, PerRecordDictBuilder } from '../../../src/main/services/index/columns';
import { INDEXED_FIELDS } from '../../../src/shared/record-schema';

const ID = INDEXED_FIELDS.findIndex((f) => f.path === 'activation_id');
const LOCALE = INDEXED_FIELDS.findIndex((f) => f.path === 'content_input.locale');

describe('keyword columns', () => {
  it('hold each distinct value once, sorted case-insensitively, for ids and repeating values alike', () => {
    expect(INDEXED_FIELDS[ID]!.perRecord).toBe(true);
    expect(INDEXED_FIELDS[LOCALE]!.perRecord).toBe(false);
    const value = fc.oneof(fc.constantFrom('a', 'A', 'b', 'B', 'ä', 'Ä', 'act_1', 'ACT_1', ''), fc.string({ maxLength: 4 }));
    fc.assert(
      fc.property(fc.array(fc.option(value, { nil: undefined }), { maxLength: 200 }), (rows) => {
        const b = new ColumnsBuilder();
        for (const v of rows) {
          b.beginRow();
          if (v !== undefined) {
            b.value(ID, v);
            b.value(LOCALE, v);
          }
          b.endRow();
        }
        const distinct = [...new Set(rows.filter((v): v is string => v !== undefined))].sort(compareKeywords);
        for (const col of b.finish().filter((c) => c.field.path === 'activation_id' || c.field.path === 'content_input.locale')) {
          if (col.type !== 'keyword') throw new Error('expected a keyword column');
          expect(col.dict).toStrictEqual(distinct);
          expect([...col.codes].map((c) => (c === 0 ? undefined : col.dict[c - 1]))).toStrictEqual(rows);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('id dictionaries from bytes or strings equal the comparator sort, ASCII or not', () => {
    const hex = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 0, maxLength: 12 }).map((h) => `act_${h}`);
    const ascii = fc.string({ unit: fc.constantFrom(...'aAbBzZ09_-', '\u0000', '\u007f', '@', '['), maxLength: 10 });
    const unicode = fc.string({ unit: fc.constantFrom(...'aAİıßẞé😀'), maxLength: 6 });
    const values = fc.oneof(fc.array(hex, { maxLength: 400 }), fc.array(ascii, { maxLength: 400 }), fc.array(fc.oneof(hex, ascii, unicode), { maxLength: 200 }));
    fc.assert(
      fc.property(values, fc.nat(3), fc.array(fc.boolean(), { minLength: 1 }), (vals, dup, asBytes) => {
        const input = [...vals, ...vals.slice(0, dup * 7)];
        const b = new PerRecordDictBuilder();
        const ids = input.map((v, i) => {
          if (!asBytes[i % asBytes.length]) return b.idOf(v);
          const bytes = Buffer.from(`"${v}"`, 'utf8');
          return b.idOfBytes(bytes, 1, bytes.length - 1);
        });
        expect(ids).toStrictEqual(input.map((_, i) => i + 1));
        const { sorted, remap } = b.finish();
        expect(sorted).toStrictEqual([...new Set(input)].sort(compareKeywords));
        expect(input.map((_, i) => sorted[remap[i + 1]! - 1])).toStrictEqual(input);
      }),
      { numRuns: 400 },
    );
  });
});
