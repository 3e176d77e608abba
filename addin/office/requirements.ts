// Which Office.js requirement sets the back end needs and which it only uses when present.
// The manifest declares REQUIRED_EXCEL_API (scripts/validate-manifest.ts checks they agree).

/** Workbook.customXmlParts (the lineage part) is ExcelApi 1.5; everything else the core needs is older. */
export const REQUIRED_EXCEL_API = "1.5";

/** Features used only where `Office.context.requirements.isSetSupported("ExcelApi", v)` is true. */
export const OPTIONAL_EXCEL_API = {
  /** Application.suspendApiCalculationUntilNextSync */
  suspendCalculation: "1.6",
  /** Range.copyFrom(…, formats): inserted rows take the template row's format */
  copyFrom: "1.9",
  /** Range.getMergedAreasOrNullObject: merges in the grid snapshot */
  mergedAreas: "1.13",
  /** Excel.run({ mergeUndoGroup: true }): one undo step for a whole fill */
  mergeUndoGroup: "1.20",
} as const;

export type OptionalFeature = keyof typeof OPTIONAL_EXCEL_API;

/** What the host supports, asked once; tests pass their own. */
export type Supports = (feature: OptionalFeature) => boolean;

export function hostSupports(): Supports {
  const req = typeof Office !== "undefined" ? Office.context?.requirements : undefined;
  return (feature) => {
    try {
      return !!req && req.isSetSupported("ExcelApi", OPTIONAL_EXCEL_API[feature]);
    } catch {
      return false;
    }
  };
}
