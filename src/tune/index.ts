// The tune area: filled in by its issue.
export {};
