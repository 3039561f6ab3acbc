/** What an import did to one kind of record. */
export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export const noCounts = (): ImportCounts => ({ created: 0, updated: 0, unchanged: 0 });

/**
 * Folds a later line about the same record into `merged`, in place: the last value given wins, and an
 * empty cell (null) never erases one given on an earlier line.
 */
export function mergeGiven<T extends object>(merged: T, later: T): void {
  for (const key in later) {
    if (later[key] !== null) merged[key] = later[key];
  }
}
