import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';

export interface CommandResult {
	code: number | null;
	stdout: string;
	stderr: string;
}

export interface CommandOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	timeoutMs: number;
	/** Stream stderr lines to the console as they come (progress of long installs). */
	echoStderr?: boolean;
	/**
	 * Send stdout to this file instead of a pipe and read it back at the end. Node writes to a
	 * file synchronously, so a process that exits right after printing megabytes (n8n execute)
	 * loses nothing, as it can through a pipe.
	 */
	stdoutFile?: string;
}

/** Keeps the last lines of a command's output for error messages. */
export function tail(text: string, lines = 40): string {
	return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * Runs a command in its own process group with a hard time limit: on timeout the whole group
 * is killed and the promise rejects with the tail of its output, so a test never hangs.
 */
export async function runCommand(
	command: string,
	args: string[],
	options: CommandOptions,
): Promise<CommandResult> {
	return await new Promise((resolve, reject) => {
		const stdoutFd = options.stdoutFile ? openSync(options.stdoutFile, 'w') : undefined;
		const child = spawn(command, args, {
			cwd: options.cwd,
			env: options.env,
			detached: true,
			stdio: ['ignore', stdoutFd ?? 'pipe', 'pipe'],
		});
		if (stdoutFd !== undefined) closeSync(stdoutFd);
		let stdout = '';
		let stderr = '';
		child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr?.on('data', (chunk: Buffer) => {
			stderr += chunk.toString();
			if (options.echoStderr) process.stderr.write(chunk);
		});
		const timer = setTimeout(() => {
			killGroup(child.pid);
			reject(
				new Error(
					`${command} ${args.join(' ')} did not finish within ${options.timeoutMs / 1000} s\n${tail(stdout + stderr)}`,
				),
			);
		}, options.timeoutMs);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('close', (code) => {
			clearTimeout(timer);
			if (options.stdoutFile) {
				stdout = readFileSync(options.stdoutFile, 'utf8');
				rmSync(options.stdoutFile, { force: true });
			}
			resolve({ code, stdout, stderr });
		});
	});
}

export function killGroup(pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
	if (!pid) return;
	try {
		process.kill(-pid, signal);
	} catch {
		// already gone
	}
}
