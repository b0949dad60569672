// Apply progress on stderr: a task list with spinners on an interactive terminal (ora), plain
// lines otherwise (piped, CI, --json), so logs stay readable and stdout stays clean.
import type { ProgressSink } from '../../deploy/index.js';
import { isCi, type CommandContext } from '../context.js';

export async function progressFor(ctx: CommandContext): Promise<ProgressSink> {
  const stderr = ctx.io.stderr as NodeJS.WriteStream;
  // A terminal that reports no width (some emulators, `script`) would make a spinner redraw forever.
  const fancy = Boolean(stderr.isTTY) && (stderr.columns ?? 0) > 0 && !ctx.json && !isCi(ctx.env) && ctx.env.TERM !== 'dumb';
  if (!fancy) {
    return {
      start: () => {},
      done: (task, summary) => ctx.info(`${ctx.style.green('✓')} ${task}: ${summary}`),
      fail: (task) => ctx.info(`${ctx.style.red('✗')} ${task}: failed`),
    };
  }
  const { default: ora } = await import('ora');
  let spinner: ReturnType<typeof ora> | undefined;
  return {
    start: (task) => {
      spinner = ora({ text: task, stream: stderr, discardStdin: false }).start();
    },
    done: (task, summary) => void spinner?.succeed(`${task}: ${summary}`),
    fail: (task) => void spinner?.fail(`${task}: failed`),
  };
}
