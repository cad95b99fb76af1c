/**
 * What a drop holds, as the archive to open or the reason it is not one. A folder's File has no
 * content to read; Chromium says what it is through the item's file-system entry.
 */
export function droppedArchive(data: Pick<DataTransfer, 'files' | 'items'>, pathForFile: (file: File) => string): { path: string } | { problem: string } {
  const files = [...data.files];
  if (files.length === 0) return { problem: 'Nothing was dropped that has a place on disk: drop the archive folder itself.' };
  if (files.length > 1) return { problem: `${files.length} items were dropped: drop one archive folder at a time.` };
  const file = files[0]!;
  const entry = data.items[0]?.webkitGetAsEntry?.();
  if (entry && !entry.isDirectory) {
    return { problem: `${file.name} is a file: drop the archive folder, the one holding the day files (activations-YYYY-MM-DD.jsonl).` };
  }
  const path = pathForFile(file);
  if (!path) return { problem: `${file.name} has no place on disk to open.` };
  return { path };
}
