// The parts of pdfkit and svg-to-pdfkit that figure-files-pdf.ts uses (neither package ships types).
declare module "pdfkit" {
  interface PdfDocumentOptions {
    size?: [number, number];
    margin?: number;
    /** The default font: a font file's bytes (then no standard-font metrics are read from disk). */
    font?: Uint8Array;
    info?: Record<string, string | Date>;
    lang?: string;
  }
  class PDFDocument {
    constructor(options?: PdfDocumentOptions);
    registerFont(name: string, src: Uint8Array): this;
    on(event: "data", listener: (chunk: Uint8Array) => void): this;
    on(event: "end", listener: () => void): this;
    on(event: "error", listener: (e: Error) => void): this;
    end(): void;
  }
  export default PDFDocument;
}

declare module "svg-to-pdfkit" {
  interface SvgToPdfOptions {
    width?: number;
    height?: number;
    /** Treat the SVG's units as points (else CSS pixels at 96 per inch). */
    assumePt?: boolean;
    preserveAspectRatio?: string;
    /** The registered font name for a text element's family and style. */
    fontCallback?: (family: string, bold: boolean, italic: boolean, fontOptions: { fauxBold: boolean; fauxItalic: boolean }) => string;
    warningCallback?: (message: string) => void;
  }
  function SVGtoPDF(doc: unknown, svg: string, x: number, y: number, options?: SvgToPdfOptions): void;
  export default SVGtoPDF;
}
