// The train area: filled in by its issue.
export {};
