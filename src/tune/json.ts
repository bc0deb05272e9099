/** JSON values, as user and system attributes and storage records carry them. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
