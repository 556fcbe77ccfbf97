// <input type="datetime-local"> shows and takes wall-clock time in the browser's timezone, which is
// the timezone Lumen displays in; the API takes UTC instants.

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO instant as "2026-11-25T13:05" in the browser's timezone. */
export function toDateTimeLocal(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The ISO instant of a datetime-local value, or null when it is empty or not a date-time. */
export function fromDateTimeLocal(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value)) return null;
  // A date-time without an offset is read as local time (ECMAScript Date.parse).
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
