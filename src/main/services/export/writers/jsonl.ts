// JSON Lines: one redacted record per line (its `integrity` member kept, so each line names its
// proof in the manifest). With --fields, only those members (nested as in the record).
import type { OutputSpec } from '../record-processor';
import { FileSink } from './file-sink';
import type { RecordWriter, WriterOptions } from './types';

const FLUSH_CHARS = 1 << 20;

export class JsonlWriter implements RecordWriter {
  readonly format = 'jsonl' as const;
  readonly columns = null;
  readonly rowsShown = null;
  private readonly sink: FileSink;
  readonly output: OutputSpec;
  private pending: string[] = [];
  private pendingChars = 0;

  constructor(opts: WriterOptions) {
    this.sink = new FileSink(opts.tempPath, opts.displayPath);
    this.output = { kind: 'json', fields: opts.fields && opts.fields.length > 0 ? opts.fields : undefined };
  }

  async writeRow(row: string | unknown[]): Promise<void> {
    const line = row as string;
    this.pending.push(line, '\n');
    this.pendingChars += line.length + 1;
    if (this.pendingChars >= FLUSH_CHARS) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunk = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    await this.sink.write(chunk);
  }

  async finish(): Promise<void> {
    await this.flush();
    await this.sink.close();
  }

  async abort(): Promise<void> {
    this.pending = [];
    await this.sink.destroy();
  }
}
