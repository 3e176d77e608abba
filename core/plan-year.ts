// The plan years phuluc accepts (N of the appendices), in one place: the fill command, the API,
// the task pane and the template maker all check a year against this range, so that a year one
// of them takes is never refused by another.
export const PLAN_YEAR_MIN = 2000;
export const PLAN_YEAR_MAX = 2100;

/** Whether n is a plan year phuluc fills (an integer in PLAN_YEAR_MIN…PLAN_YEAR_MAX). */
export function isPlanYear(n: unknown): n is number {
  return typeof n === "number" && Number.isInteger(n) && n >= PLAN_YEAR_MIN && n <= PLAN_YEAR_MAX;
}

/** The range as the messages print it: "2000–2100". */
export const PLAN_YEAR_RANGE = `${PLAN_YEAR_MIN}–${PLAN_YEAR_MAX}`;
