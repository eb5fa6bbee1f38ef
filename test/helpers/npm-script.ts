// The node arguments of an npm script (package.json: `npm start`, `npm run worker`), for the tests
// and the benchmark that run the app in a process of its own: they run what is deployed, flags included.
import { readFileSync } from 'node:fs';
import { projectPath } from '../../server/lib/project-path.ts';

export function npmScriptArguments(script: 'start' | 'worker'): string[] {
  const command: string = JSON.parse(readFileSync(projectPath('package.json'), 'utf8')).scripts[script];
  const [program, ...args] = command.split(/\s+/);
  if (program !== 'node') throw new Error(`« npm run ${script} » does not run node: ${command}`);
  return args;
}
