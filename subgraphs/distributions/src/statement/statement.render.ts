import PDFDocument from 'pdfkit';
import { STABLECOIN_DECIMALS } from '../payout/payout.math.js';
import type { Statement } from './statement.service.js';

/** Stablecoin units as a decimal string with all 6 digits (exact: totals tie to the unit). */
export function money(units: bigint): string {
  const negative = units < 0n;
  const t = (negative ? -units : units).toString().padStart(STABLECOIN_DECIMALS + 1, '0');
  return `${negative ? '-' : ''}${t.slice(0, -STABLECOIN_DECIMALS)}.${t.slice(-STABLECOIN_DECIMALS)}`;
}

const csvCell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
const span = (s: Statement) => (s.month ? `${s.year}-${String(s.month).padStart(2, '0')}` : String(s.year));

/** The statement as CSV: one line per payment, then the totals line (amounts in USDC, 6 decimals). */
export function statementCsv(s: Statement): string {
  const rows = [
    [
      'paid_at',
      'deal',
      'tranche',
      'period',
      'amount_usdc',
      'interest_usdc',
      'principal_usdc',
      'distribution_id',
    ],
    ...s.lines.map((l) => [
      l.paidAt.toISOString(),
      l.dealName,
      l.tranche,
      String(l.period),
      money(l.amount),
      money(l.interest),
      money(l.principal),
      l.distributionId,
    ]),
    ['total', '', '', '', money(s.totals.amount), money(s.totals.interest), money(s.totals.principal), ''],
  ];
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** The yearly tax summary as CSV, in the shape of a 1099-INT (box 1: interest income). */
export function taxSummaryCsv(s: Statement): string {
  const rows = [
    ['year', 'payer', 'tranche', 'box1_interest_income_usdc', 'principal_returned_usdc'],
    ...s.taxSummary.map((t) => [
      String(s.year),
      t.dealName,
      t.tranche,
      money(t.interestIncome),
      money(t.principalReturned),
    ]),
    ['total', '', '', money(s.totals.interest), money(s.totals.principal)],
  ];
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

function render(draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // a fixed creation date: the same statement renders to the same bytes
    const doc = new PDFDocument({
      size: 'LETTER',
      margin: 54,
      info: { CreationDate: new Date(0), Title: 'Statement' },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    draw(doc);
    doc.end();
  });
}

function table(doc: PDFKit.PDFDocument, widths: number[], rows: string[][], boldFirst = true): void {
  const left = doc.page.margins.left;
  rows.forEach((row, r) => {
    if (doc.y > doc.page.height - doc.page.margins.bottom - 20) doc.addPage();
    const y = doc.y;
    let x = left;
    doc.font(r === 0 && boldFirst ? 'Helvetica-Bold' : 'Helvetica').fontSize(8.5);
    row.forEach((cell, i) => {
      const w = widths[i] ?? 60;
      doc.text(cell, x, y, { width: w - 4, align: i >= row.length - 3 ? 'right' : 'left', lineBreak: false });
      x += w;
    });
    doc.y = y + 14;
  });
}

/** The statement as a PDF (Helvetica, Letter): header, one row per payment, totals. */
export function statementPdf(s: Statement): Promise<Buffer> {
  return render((doc) => {
    doc
      .font('Helvetica-Bold')
      .fontSize(16)
      .text(`Distribution statement ${span(s)}`);
    doc.moveDown(0.5).font('Helvetica').fontSize(10);
    doc.text(`Investor: ${s.legalName}`);
    doc.text(`Wallet: ${s.wallet ?? '(none proven)'}`);
    doc.text('Amounts in USDC (6 decimals), as paid on-chain.');
    doc.moveDown();
    table(
      doc,
      [78, 150, 46, 40, 60, 60, 60],
      [
        ['Paid', 'Deal', 'Tranche', 'Period', 'Amount', 'Interest', 'Principal'],
        ...s.lines.map((l) => [
          l.paidAt.toISOString().slice(0, 10),
          l.dealName,
          l.tranche,
          String(l.period),
          money(l.amount),
          money(l.interest),
          money(l.principal),
        ]),
        ['Total', '', '', '', money(s.totals.amount), money(s.totals.interest), money(s.totals.principal)],
      ],
    );
    if (!s.lines.length) doc.moveDown().text('No distributions were paid in this period.');
  });
}

/** The yearly tax summary as a PDF, in the shape of a 1099-INT. */
export function taxSummaryPdf(s: Statement): Promise<Buffer> {
  return render((doc) => {
    doc.font('Helvetica-Bold').fontSize(16).text(`Interest income summary ${s.year} (1099-INT)`);
    doc.moveDown(0.5).font('Helvetica').fontSize(10);
    doc.text(`Recipient: ${s.legalName} (TIN on file with compliance)`);
    doc.text(`Account (wallet): ${s.wallet ?? '(none proven)'}`);
    doc.text('Box 1 is the interest part of each distribution; principal returned is not income.');
    doc.moveDown();
    table(
      doc,
      [200, 60, 120, 120],
      [
        ['Payer (deal)', 'Tranche', 'Box 1 interest income', 'Principal returned'],
        ...s.taxSummary.map((t) => [
          t.dealName,
          t.tranche,
          money(t.interestIncome),
          money(t.principalReturned),
        ]),
        ['Total', '', money(s.totals.interest), money(s.totals.principal)],
      ],
    );
  });
}
