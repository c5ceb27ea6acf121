/** Structured JSON logs on stderr, one line per event. */
function write(level: string, message: string, fields: Record<string, unknown>): void {
  if (process.env.KOPDES_LOG === 'silent') return;
  process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields }) + '\n');
}

export const log = {
  info: (message: string, fields: Record<string, unknown> = {}) => write('info', message, fields),
  warn: (message: string, fields: Record<string, unknown> = {}) => write('warn', message, fields),
  error: (message: string, fields: Record<string, unknown> = {}) => write('error', message, fields),
};
