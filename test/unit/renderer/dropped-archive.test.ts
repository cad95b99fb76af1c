import { describe, expect, it } from 'vitest';
import { droppedArchive } from '../../../src/renderer/src/features/open-archive/dropped-archive';

// What a drop on the desktop window opens: one folder, by the path the preload gives for it.

type Drop = Parameters<typeof droppedArchive>[0];

/** A drop as Chromium describes it: the Files, and each item's file-system entry. */
function drop(...items: { name: string; isDirectory?: boolean }[]): Drop {
  const files = items.map((i) => ({ name: i.name }) as File);
  return {
    files: files as unknown as FileList,
    items: items.map((i) => ({ webkitGetAsEntry: () => (i.isDirectory === undefined ? null : { isDirectory: i.isDirectory }) })) as unknown as DataTransferItemList,
  };
}

const paths = (file: File) => `/home/ann/audits/${file.name}`;

describe('droppedArchive', () => {
  it('opens one dropped folder by its path', () => {
    expect(droppedArchive(drop({ name: 'q3', isDirectory: true }), paths)).toEqual({ path: '/home/ann/audits/q3' });
  });

  it('leaves the folder check to the backend when the entry is unknown', () => {
    expect(droppedArchive(drop({ name: 'q3' }), paths)).toEqual({ path: '/home/ann/audits/q3' });
  });

  it('refuses a file, several items, nothing, and an item with no place on disk', () => {
    expect(droppedArchive(drop({ name: 'activations-2026-11-20.jsonl', isDirectory: false }), paths)).toEqual({
      problem: expect.stringMatching(/^activations-2026-11-20\.jsonl is a file: drop the archive folder/),
    });
    expect(droppedArchive(drop({ name: 'a', isDirectory: true }, { name: 'b', isDirectory: true }), paths)).toEqual({
      problem: '2 items were dropped: drop one archive folder at a time.',
    });
    expect(droppedArchive(drop(), paths)).toEqual({ problem: expect.stringMatching(/^Nothing was dropped/) });
    expect(droppedArchive(drop({ name: 'clip', isDirectory: true }), () => '')).toEqual({ problem: 'clip has no place on disk to open.' });
  });
});
