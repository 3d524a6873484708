/**
 * Preloaded into a child process by bench/cli-memory.ts (`node --import`):
 * prints the process's peak resident set size when it exits, on stderr, as
 * `peak_rss_kb N` (getrusage's ru_maxrss, in KiB on Linux).
 */
process.on('exit', () => {
  process.stderr.write(`\npeak_rss_kb ${process.resourceUsage().maxRSS}\n`);
});
