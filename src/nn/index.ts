// The nn area: filled in by its issue.
export {};
