/** Durations in config and on the command line: "90m", "24h", "7d", "1 hour", "30 minutes", "2 weeks". */

const UNITS: Record<string, number> = { s: 1, second: 1, m: 60, minute: 60, h: 3600, hour: 3600, d: 86_400, day: 86_400, w: 604_800, week: 604_800 };

/** Milliseconds, or undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+)\s*(s|m|h|d|w|seconds?|minutes?|hours?|days?|weeks?)\s*$/i.exec(text);
  return m ? Number(m[1]) * UNITS[m[2]!.toLowerCase().replace(/(.)s$/, '$1')]! * 1000 : undefined;
}
