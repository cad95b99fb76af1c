import {
  CellStyleModule,
  ColumnApiModule,
  ColumnAutoSizeModule,
  InfiniteRowModelModule,
  ModuleRegistry,
  RenderApiModule,
  RowApiModule,
  RowSelectionModule,
  RowStyleModule,
  ScrollApiModule,
  themeQuartz,
  TooltipModule,
  ValidationModule,
} from 'ag-grid-community';

// ag-grid is modular: only what the Records grid uses is registered (infinite row model,
// selection, the column-state API, header tooltips; moving and resizing columns are core). The validation
// module explains a misconfiguration in development builds only.
ModuleRegistry.registerModules([
  InfiniteRowModelModule,
  RowSelectionModule,
  ColumnAutoSizeModule,
  ColumnApiModule,
  RowApiModule,
  RenderApiModule,
  ScrollApiModule,
  CellStyleModule,
  RowStyleModule,
  TooltipModule,
  ...(import.meta.env.DEV ? [ValidationModule] : []),
]);

/**
 * Quartz, with every colour taken from the app's palette (styles.css), so the grid follows the
 * light and dark schemes with the rest of the window and needs no theme switching of its own.
 */
export const gridTheme = themeQuartz.withParams({
  fontFamily: 'var(--font-ui)',
  fontSize: 13,
  dataFontSize: 12.5,
  headerFontSize: 11.5,
  headerFontWeight: 600,
  headerTextColor: 'var(--muted)',
  backgroundColor: 'var(--surface)',
  foregroundColor: 'var(--fg)',
  subtleTextColor: 'var(--muted)',
  chromeBackgroundColor: 'var(--surface-sunken)',
  headerBackgroundColor: 'var(--surface-sunken)',
  headerCellHoverBackgroundColor: 'var(--surface-hover)',
  borderColor: 'var(--border)',
  accentColor: 'var(--accent)',
  rowHoverColor: 'var(--surface-hover)',
  selectedRowBackgroundColor: 'var(--accent-soft)',
  oddRowBackgroundColor: 'var(--surface)',
  rangeSelectionBorderColor: 'var(--focus)',
  checkboxCheckedBackgroundColor: 'var(--accent)',
  checkboxUncheckedBorderColor: 'var(--border-strong)',
  browserColorScheme: 'inherit',
  wrapperBorder: false,
  wrapperBorderRadius: 0,
  borderRadius: 4,
  rowHeight: 30,
  headerHeight: 32,
  cellHorizontalPadding: 10,
  columnBorder: false,
  headerColumnBorder: { color: 'var(--border)' },
  headerColumnResizeHandleColor: 'var(--border-strong)',
  iconSize: 12,
  spacing: 6,
});

/**
 * The page's style nonce, when the browser host gave it one: its CSP admits only the style
 * elements carrying it, and ag-grid's theme is injected as style elements.
 */
export function styleNonce(): string | undefined {
  return document.querySelector<HTMLMetaElement>('meta[name="alog-style-nonce"]')?.content || undefined;
}
