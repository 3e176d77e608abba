// Bundled (esbuild, IIFE) into the page before pane.js: a workbook in the recording mock Excel
// and an Office object that says "Excel", so that the pane runs in Excel mode in chromium.
import { createMockExcel, type MockSheetInit } from "../../doubles/mock-excel.js";

declare global {
  interface Window {
    __phuluc: ReturnType<typeof createMockExcel>;
  }
}

export function install(sheets: MockSheetInit[], displayLanguage = "vi-VN"): void {
  const mock = createMockExcel(sheets);
  const w = window as unknown as Record<string, unknown>;
  w.__phuluc = mock;
  w.Excel = mock.Excel;
  w.Office = {
    HostType: { Excel: "Excel" },
    onReady: () => Promise.resolve({ host: "Excel", platform: "OfficeOnline" }),
    context: { requirements: { isSetSupported: () => true }, partitionKey: "test-partition:", displayLanguage },
  };
}
