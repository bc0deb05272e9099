// The optim area: filled in by its issue.
export {};
