// Runs the graphql-http server audits against a running server and prints the
// results as JSON: [{ id, name, status, reason }], status being ok, warn or error.
// Usage: node audit.mjs http://127.0.0.1:PORT/graphql
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs URL');
  process.exit(2);
}

const results = [];
for (const { id, name, fn } of serverAudits({ url })) {
  const result = await fn();
  results.push({ id, name, status: result.status, reason: result.reason ?? null });
}
console.log(JSON.stringify(results));
