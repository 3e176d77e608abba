// What the routes read the warehouse through: `use(fn)` runs fn on the current generation (the
// server's GenerationReader, or a LakeReader); `useAsOf` opens an older generation for `asOf`
// requests and for lineage ids that name one.
import type { Db } from "../warehouse/db.js";
import { GenerationReader, openCurrent } from "../warehouse/generations.js";

export interface Reader {
  use<T>(fn: (db: Db, generation: number) => Promise<T>): Promise<T>;
  useAsOf?<T>(generation: number, fn: (db: Db, generation: number) => Promise<T>): Promise<T>;
  close?(): void;
  /**
   * True when a generation number always names the same data (a warehouse: a generation file is
   * never written after it is published), so answers may be kept. A lake can be re-exported
   * under the same numbers: not immutable.
   */
  readonly immutable?: boolean;
}

export class WarehouseReader extends GenerationReader implements Reader {
  readonly immutable = true;
  constructor(private readonly path: string) {
    super(path);
  }

  async useAsOf<T>(generation: number, fn: (db: Db, generation: number) => Promise<T>): Promise<T> {
    const db = await openCurrent(this.path, generation);
    try {
      return await fn(db, generation);
    } finally {
      db.close();
    }
  }
}
