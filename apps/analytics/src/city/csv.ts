/**
 * CSV for spreadsheets used in Vietnamese offices: UTF-8 with a byte-order mark (so Excel shows
 * "Hùng Vương", not mojibake), CRLF line ends, fields quoted when needed, and header rows that
 * state what each column means before the table itself.
 */
export type Cell = string | number | null | undefined;

function field(value: Cell): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  // Quote separators and line breaks; neutralise leading characters spreadsheets run as formulas.
  const safe = /^[=+\-@\t\r]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\r\n;]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export interface CsvDocument {
  /** Lines above the table: title, period, source, definitions (one per row). */
  preamble: Cell[][];
  header: string[];
  rows: Cell[][];
}

export function toCsv(doc: CsvDocument): string {
  const lines = [...doc.preamble, [], doc.header, ...doc.rows].map((row) => row.map(field).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
