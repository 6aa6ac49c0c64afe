import { Chalk } from 'chalk';

/** The prefix colours, in Compose's rotation: the six plain ANSI colours, then their bright variants. */
export function logPalette(): ((text: string) => string)[] {
  const chalk = new Chalk({ level: 1 });
  return [
    chalk.cyan, chalk.yellow, chalk.green, chalk.magenta, chalk.blue, chalk.red,
    chalk.cyanBright, chalk.yellowBright, chalk.greenBright, chalk.magentaBright, chalk.blueBright, chalk.redBright,
  ];
}
