// Child process of kill.test.ts: loads a synthetic inbox into --db and SIGKILLs itself at a named
// point of the run (or never, when the parent kills it from outside at a random moment).
import { loadFiles } from "../../warehouse/load.js";
import { afterLoad } from "../../etl/commands.js";
import { file, inbox, task } from "./helpers.js";

const [dbPath, variant, killAt] = process.argv.slice(2);

export function makeInbox(v: string) {
  const n = 40;
  const tasks = Array.from({ length: n }, (_, i) => task(`NV-${String(i).padStart(3, "0")}`, `B${i + 7}`));
  const reg = file("P.QLKH/dm.xlsx", { tasks }, `reg-${v}`);
  const amount = (i: number) => (v === "A" ? `${i + 1}.5` : `${(i + 1) * 2}.25`);
  const fund = file(
    "P.KHTC/kp.xlsx",
    {
      taskFunding: tasks.flatMap((t, i) =>
        [2022, 2023, 2024].map((year) => ({ taskCode: t.code, year, measure: "du_toan" as const, source: "NSDP" as const, amount: amount(i + year), at: { sheet: "KP", cell: `E${i + 9}` } })),
      ),
    },
    `kp-${v}`,
  );
  return inbox(v === "A" ? [reg, fund] : [reg, fund, file("TDC/ct.xlsx", {
    indicators: [{ key: "TDC|kiem tra", area: "TDC", label: "Kiểm tra", unit: "cơ sở", sort: 1, at: { sheet: "CT", cell: "B5" } }],
    indicatorFacts: [{ key: "TDC|kiem tra", year: 2023, measure: "thuc_hien_6t", value: "40", at: { sheet: "CT", cell: "D5" } }],
  }, "ct")]);
}

if (dbPath) {
  const { scan, parse } = makeInbox(variant!);
  await loadFiles(scan, parse, {
    dbPath,
    province: { code: "80", name: "Long An" },
    // the data tests as every load runs them: between the facts' commit and the run record's
    afterLoad,
    checkpoint: (p) => {
      if (p === killAt) process.kill(process.pid, "SIGKILL");
    },
  });
  process.stdout.write("done\n");
}
