// Helpers for tests that run a CLI as a child process: its first stdout line (the ready line)
// and how it ended.
import type { ChildProcess } from 'node:child_process';

/** The first line the child prints on stdout; rejects (with its stderr) if it exits or stays silent first. */
export function firstStdoutLine(child: ChildProcess, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`no ready line within ${ms} ms; stderr: ${stderr}`)), ms);
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const nl = buffer.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(buffer.slice(0, nl));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ready; stderr: ${stderr}`));
    });
  });
}

/** The exit code, or the signal's name when a signal ended the process. */
export function exitOf(child: ChildProcess, ms: number): Promise<number | string | null> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode ?? child.signalCode);
    const timer = setTimeout(() => reject(new Error(`did not exit within ${ms} ms`)), ms);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? signal);
    });
  });
}
