// The node arguments of `npm start` (package.json), for the tests and the benchmark that run the
// app in a process of its own: they run what is deployed, flags included.
import { readFileSync } from 'node:fs';
import { projectPath } from '../../server/lib/project-path.ts';

export function npmStartArguments(): string[] {
  const command: string = JSON.parse(readFileSync(projectPath('package.json'), 'utf8')).scripts.start;
  const [program, ...args] = command.split(/\s+/);
  if (program !== 'node') throw new Error(`« npm start » does not run node: ${command}`);
  return args;
}
