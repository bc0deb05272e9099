/**
 * One level of the command tree: the first argument picks a command, `--help` (or nothing)
 * prints the usage, an unknown name is an error with the usage. Exit codes: 0, or 2 for usage.
 */
export type Command = (args: string[]) => Promise<number>;

export async function dispatch(prefix: string, commands: Record<string, Command>, usage: string, args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h') {
    process.stdout.write(usage);
    return name === undefined ? 2 : 0;
  }
  const run = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!run) {
    process.stderr.write(`${prefix}: unknown command '${name}'\n${usage}`);
    return 2;
  }
  return run(rest);
}
