// Keyword columns: whatever dictionary builder a column uses (a Map for repeating values, one sort
// at the end for ids), the finished column is the sorted set of distinct values and every row's
// code points at its own value.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ColumnsBuilder, compareKeywords, keyedSortedOrder, sortedOrder } from '../../../src/main/services/index/columns';
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

  it('sort ids by packed keys in exactly the order of the comparator sort', () => {
    const hex = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 0, maxLength: 12 }).map((h) => `act_${h}`);
    const mixed = fc.string({ unit: fc.constantFrom(...'aAbBzZ09_İıßẞ'), maxLength: 10 });
    const any = fc.string({ unit: 'binary', maxLength: 6 });
    const many = (v: fc.Arbitrary<string>) => fc.array(v, { minLength: 0, maxLength: 400 });
    fc.assert(
      fc.property(fc.oneof(many(hex), many(mixed), many(any), many(fc.oneof(hex, mixed, any))), fc.nat(3), (values, dup) => {
        // Duplicates, as an id repeated in a day file.
        const input = [...values, ...values.slice(0, dup * 7)];
        const expected = [...sortedOrder(input)].map((i) => input[i]);
        const order = keyedSortedOrder(input);
        expect(new Set(order).size).toBe(input.length);
        expect([...order].map((i) => input[i])).toStrictEqual(expected);
      }),
      { numRuns: 400 },
    );
  });
});
