// Connection settings remembered in localStorage. In Excel the key is scoped by
// Office.context.partitionKey where the host gives one (Excel on the web partitions storage per
// add-in and per document host), so two add-ins or two tenants never read each other's key.
export interface PaneSettings {
  server: string;
  key: string;
  year: number | null;
  /** the language the officer switched to; absent: Office's display language decides */
  lang?: "vi" | "en";
}

const BASE = "phuluc.pane.v1";

export function storageKey(partitionKey: string | undefined | null): string {
  return partitionKey ? `${partitionKey}${BASE}` : BASE;
}

export function loadSettings(storage: Pick<Storage, "getItem"> | null, partitionKey?: string | null): PaneSettings {
  const empty: PaneSettings = { server: "", key: "", year: null };
  try {
    const raw = storage?.getItem(storageKey(partitionKey));
    if (!raw) return empty;
    const v = JSON.parse(raw) as Partial<PaneSettings>;
    return {
      server: typeof v.server === "string" ? v.server : "",
      key: typeof v.key === "string" ? v.key : "",
      year: typeof v.year === "number" && Number.isInteger(v.year) ? v.year : null,
      ...(v.lang === "vi" || v.lang === "en" ? { lang: v.lang } : {}),
    };
  } catch {
    return empty;
  }
}

export function saveSettings(storage: Pick<Storage, "setItem"> | null, s: PaneSettings, partitionKey?: string | null): void {
  try {
    storage?.setItem(storageKey(partitionKey), JSON.stringify(s));
  } catch {
    /* storage full or blocked: the pane still works for this session */
  }
}
