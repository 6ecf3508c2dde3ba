/** Levels in increasing severity; a logger writes its level and those above it. */
export const logLevels = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof logLevels)[number];

/** `json`: one JSON object per line (the default, for log collectors); `text`: for a terminal. */
export type LogFormat = "json" | "text";

/** Extra fields of a log line; an `err` field is written as { name, message, code?, stack? }. */
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** True when lines of this level are written: check before building fields on a hot path. */
  enabled(level: LogLevel): boolean;
}

export interface LoggerOptions {
  level?: LogLevel;
  format?: LogFormat;
  /** Where a line goes (without its newline); default: stdout for debug and info, stderr for warn and error. */
  write?: (line: string, level: LogLevel) => void;
  /** Default Date.now. */
  now?: () => number;
}

/**
 * A structured logger: every line is `{"time","level","msg",...fields}` (or, in text
 * format, `time LEVEL msg key=value...`). Fields named time, level or msg cannot
 * overwrite those three.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const { level = "info", format = "json", now = Date.now } = options;
  if (!logLevels.includes(level)) throw new TypeError(`createLogger: level must be one of ${logLevels.join(", ")}`);
  const write = options.write ?? writeToStdio;
  const threshold = logLevels.indexOf(level);
  const render = format === "text" ? textLine : jsonLine;
  const at = (lineLevel: LogLevel) => {
    if (logLevels.indexOf(lineLevel) < threshold) return () => {};
    return (msg: string, fields?: LogFields) => write(render(new Date(now()).toISOString(), lineLevel, msg, fields), lineLevel);
  };
  return {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    enabled: (lineLevel) => logLevels.indexOf(lineLevel) >= threshold,
  };
}

/** console.log and console.error write synchronously, so a line logged just before process.exit is not lost. */
function writeToStdio(line: string, level: LogLevel): void {
  if (level === "warn" || level === "error") console.error(line);
  else console.log(line);
}

function jsonLine(time: string, level: LogLevel, msg: string, fields: LogFields | undefined): string {
  const line: Record<string, unknown> = { time, level, msg };
  if (fields) {
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined && !(key in line)) line[key] = key === "err" ? errorFields(value) : value;
    }
  }
  try {
    return JSON.stringify(line, bigintAsString);
  } catch {
    // A circular field, say: the line still goes out, without its fields.
    return JSON.stringify({ time, level, msg, fields: "unserializable" });
  }
}

function textLine(time: string, level: LogLevel, msg: string, fields: LogFields | undefined): string {
  let line = `${time} ${level.toUpperCase().padEnd(5)} ${msg}`;
  for (const [key, value] of Object.entries(fields ?? {})) {
    if (value === undefined) continue;
    const shown = key === "err" ? errorFields(value) : value;
    line += ` ${key}=${typeof shown === "string" ? shown : safeJson(shown)}`;
  }
  return line;
}

/** An error as log fields: its stack says where an `internal` error came from. */
function errorFields(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const code = (err as { code?: unknown }).code;
  return { name: err.name, message: err.message, ...(code !== undefined ? { code } : {}), stack: err.stack };
}

function bigintAsString(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, bigintAsString) ?? String(value);
  } catch {
    return String(value);
  }
}
