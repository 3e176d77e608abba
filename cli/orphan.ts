// Started by npm (`npx phuluc`, `npm run phuluc`, `npm start`), a shell may stand between npm and
// this process: npm passes its SIGTERM to that shell, which dies without passing it on, and the
// program would run on, orphaned, holding its port or its load. When the process that started us
// goes away, we take it as the SIGTERM it was meant to be: the command's own handler runs (the
// server closes its port, the watcher finishes or abandons its run), or the default ends us.
// Only under npm: `phuluc serve &` from a login shell must outlive that shell.

export function stopWhenOrphaned(env: NodeJS.ProcessEnv = process.env, everyMs = 500): void {
  if (!env.npm_lifecycle_event && !env.npm_command) return;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      process.kill(process.pid, "SIGTERM");
    }
  }, everyMs);
  timer.unref();
}
