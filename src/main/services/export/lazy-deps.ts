// The heavy writer libraries, loaded on first use and from node_modules at run time rather than
// bundled into out/cli/alog.cjs: the CLI's other commands then start without parsing several MB
// of XLSX/PDF/Parquet code, and pdfkit finds its font metrics, which it loads through its
// package's "imports" map relative to its own file (a bundle has no such map, and pdfkit's ES
// build also needs import.meta.url, which a CommonJS bundle lacks).
type ExcelJs = typeof import('exceljs');
type PdfKit = typeof import('pdfkit');
type ParquetJs = typeof import('@dsnp/parquetjs');

function load<T>(id: string): T {
  try {
    // A computed id: esbuild leaves this require alone, Node resolves it from node_modules.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(id) as T;
  } catch (e) {
    throw new Error(`cannot load the ${id} package, which this export format needs: ${(e as Error).message}`);
  }
}

let exceljs: ExcelJs | undefined;
let pdfkit: PdfKit | undefined;
let parquetjs: ParquetJs | undefined;

export function loadExcelJs(): ExcelJs {
  return (exceljs ??= load<ExcelJs>('exceljs'));
}

export function loadPdfKit(): PdfKit {
  return (pdfkit ??= load<PdfKit>('pdfkit'));
}

export function loadParquetJs(): ParquetJs {
  return (parquetjs ??= load<ParquetJs>('@dsnp/parquetjs'));
}
