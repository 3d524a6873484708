/** The one success-or-error type: a value, or an error saying what went wrong where (ground rule 4). */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };
