// The CSV reader verify-export reads exports back with: for any fields (commas, quotes, CR and LF
// inside quoted fields) written as the CSV writer writes them and cut into chunks anywhere, it
// gives back exactly the fields, as csv-parse (an independent RFC 4180 reader) does.
import fc from 'fast-check';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvRecords } from '../../../src/main/services/export/export-rows';
import { csvField } from '../../../src/main/services/export/writers/csv';

async function* chunksOf(text: string, cuts: number[]): AsyncGenerator<string> {
  let at = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    const end = Math.min(text.length, c);
    if (end > at) {
      yield text.slice(at, end);
      at = end;
    }
  }
  if (at < text.length) yield text.slice(at);
}

describe('csvRecords', () => {
  it('property: fields back exactly, however the text is chunked, as csv-parse reads them', async () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'b', ' ', ',', '"', '\r', '\n', 'é', '=') , maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(field, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 6 }), fc.array(fc.nat(200), { maxLength: 8 }), async (rows, cuts) => {
        const text = rows.map((r) => r.map((f) => csvField(f)).join(',') + '\r\n').join('');
        const got: string[][] = [];
        for await (const r of csvRecords(chunksOf(text, cuts), Number.MAX_SAFE_INTEGER)) got.push(r);
        const expected = parseCsv(text, { relax_quotes: false }) as string[][];
        expect(got).toEqual(expected);
        // Keeping the first column only gives the same first column.
        const first: string[][] = [];
        for await (const r of csvRecords(chunksOf(text, cuts), 1)) first.push(r);
        expect(first).toEqual(expected.map((r) => r.slice(0, 1)));
      }),
      { numRuns: 300 },
    );
  });
});
