#!/usr/bin/env node
// Lint Cypher statements with Neo4j's own front end (@neo4j-cypher/language-support).
//
// stdin:  {"schema": {"labels": [...], "relationshipTypes": [...], "propertyKeys": [...],
//                     "parameters": {"name": value, ...}},
//          "statements": [{"id": "...", "cypher": "..."}]}
// stdout: [{"id", "severity": "error"|"warning"|..., "message", "line", "column"}, ...]
//         (line and column 1-based, where the diagnostic starts)
// exit:   0 no errors (warnings allowed), 1 at least one error, 2 unusable input.
//
// A schema list that is left out counts as empty, so every label, relationship type or
// property read that is not declared is reported (the library checks labels and
// relationship types only when both lists are given, and properties only when
// propertyKeys is).  Any other DbSchema key (functions, procedures, defaultLanguage, ...)
// is passed through unchanged.  See docs/falkordb-notes.md, "Neo4j linter".

import { lintCypherQuery } from '@neo4j-cypher/language-support';

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

function fail(message) {
  process.stderr.write(`cypher-lint: ${message}\n`);
  process.exit(2);
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

let input;
try {
  input = JSON.parse(await readStdin());
} catch (e) {
  fail(`stdin is not JSON: ${e.message}`);
}
const schema = input?.schema ?? {};
const statements = input?.statements;
if (!Array.isArray(statements)) fail('"statements" must be a list');

const dbSchema = {
  ...schema,
  labels: schema.labels ?? [],
  relationshipTypes: schema.relationshipTypes ?? [],
  propertyKeys: schema.propertyKeys ?? [],
  parameters: schema.parameters ?? {},
};

// Keep stdout for the JSON answer, whatever the library might print.
const log = console.log;
console.log = (...args) => console.error(...args);

const out = [];
for (const [i, statement] of statements.entries()) {
  const id = statement?.id ?? String(i);
  if (typeof statement?.cypher !== 'string') fail(`statement ${JSON.stringify(id)} has no "cypher" text`);
  const { diagnostics } = lintCypherQuery(statement.cypher, dbSchema, { consoleCommandsEnabled: false });
  for (const d of diagnostics) {
    out.push({
      id,
      severity: SEVERITY[d.severity] ?? String(d.severity),
      message: d.message,
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
    });
  }
}

console.log = log;
process.stdout.write(JSON.stringify(out, null, 2) + '\n');
process.exit(out.some((d) => d.severity === 'error') ? 1 : 0);
