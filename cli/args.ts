/**
 * Option parsing shared by the sub-commands: node:util parseArgs (strict), with a bad option or value turned into
 * one UsageError line that names the command's --help, and --help itself printed here.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../quant/errors.ts';

/** The -h/--help flag that every command declares (parseCommandArgs prints the help for it). */
export const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;

/** Declares options that take a string value, by name: `...stringOptions('seed', 'out')`. */
export function stringOptions<const K extends string>(...names: K[]): { [P in K]: { type: 'string' } } {
  return Object.fromEntries(names.map((name) => [name, { type: 'string' }])) as { [P in K]: { type: 'string' } };
}

/**
 * Parses `config.args` for `int8cosim <command>`. Returns undefined when -h/--help was given (the help text is
 * printed); the config must declare the `help` option. A parse error throws a UsageError.
 */
export function parseCommandArgs<T extends ParseArgsConfig>(command: string, help: string, config: T): ReturnType<typeof parseArgs<T>> | undefined {
  let parsed: ReturnType<typeof parseArgs<T>>;
  try {
    parsed = parseArgs(config);
  } catch (cause) {
    throw new UsageError(`${(cause as Error).message} (int8cosim ${command} --help lists the options)`, { cause });
  }
  if ((parsed.values as { help?: boolean }).help === true) {
    console.log(help);
    return undefined;
  }
  return parsed;
}
