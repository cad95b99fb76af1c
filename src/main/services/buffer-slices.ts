// Buffer's own decoders and encoder, which toString(encoding, start, end) and write(string,
// offset, encoding) call after checking their arguments: a third cheaper per call, for code that
// decodes a string per record (the index's scanner and dictionaries). Not in Node's typings.
interface Slicing {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
  latin1Write(s: string, offset: number): number;
}

export const utf8Slice = (b: Buffer, start: number, end: number): string => (b as unknown as Slicing).utf8Slice(start, end);
export const latin1Slice = (b: Buffer, start: number, end: number): string => (b as unknown as Slicing).latin1Slice(start, end);
/** Writes `s` (every code unit below 256) at `offset`; returns the bytes written. */
export const latin1Write = (b: Buffer, s: string, offset: number): number => (b as unknown as Slicing).latin1Write(s, offset);
