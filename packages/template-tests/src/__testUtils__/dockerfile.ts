/** One instruction of a Dockerfile: `RUN npm ci` is `{ keyword: 'RUN', args: 'npm ci' }`. */
export interface Instruction {
  keyword: string;
  args: string;
}

/** A build stage: its FROM line's image and name, and what follows. */
export interface Stage {
  image: string;
  name?: string;
  instructions: Instruction[];
}

/**
 * The stages of a Dockerfile: comments dropped, continuation lines joined.
 * Enough for checks without a Docker engine, not a full parser (no heredocs,
 * no parser directives other than comments).
 */
export function parseDockerfile(text: string): Stage[] {
  const logical = text
    .split('\n')
    .filter(line => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map(line => line.trim())
    .filter(Boolean);
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, keyword, args] = /^(\S+)\s*(.*)$/.exec(line)!;
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') {
      const m = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!m) throw new Error(`FROM ${args}: not understood`);
      stages.push({ image: m[1], name: m[2], instructions: [] });
    } else if (stages.length === 0) {
      if (upper !== 'ARG') throw new Error(`${upper} before the first FROM`);
    } else {
      stages[stages.length - 1].instructions.push({ keyword: upper, args });
    }
  }
  return stages;
}
