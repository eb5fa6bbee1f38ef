// svg-to-pdfkit ships no types: the one call the bilan's PDF makes (pdf.ts).
declare module 'svg-to-pdfkit' {
  interface SvgToPdfOptions {
    /** In points; the SVG is fitted into this box. */
    width?: number;
    height?: number;
    preserveAspectRatio?: string;
    /** The PDFKit font name for an SVG font family. */
    fontCallback?: (family: string, bold: boolean, italic: boolean, options: { fauxBold?: boolean; fauxItalic?: boolean }) => string;
    warningCallback?: (message: string) => void;
  }
  export default function SVGtoPDF(doc: PDFKit.PDFDocument, svg: string, x: number, y: number, options?: SvgToPdfOptions): void;
}
