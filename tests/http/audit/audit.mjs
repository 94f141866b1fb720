// Runs the graphql-http server audits against a running server and prints the
// results as JSON: [{ id, name, status, reason }], status being ok, warn or error.
// Usage: node audit.mjs http://127.0.0.1:PORT/graphql
// The Authorization header from AUDIT_AUTHORIZATION is added to every request the
// audits send, as an authenticated client would.
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs URL');
  process.exit(2);
}

const authorization = process.env.AUDIT_AUTHORIZATION;
const fetchFn = (input, init = {}) => {
  const headers = new Headers(init.headers);
  if (authorization) headers.set('authorization', authorization);
  return fetch(input, { ...init, headers });
};

const results = [];
for (const { id, name, fn } of serverAudits({ url, fetchFn })) {
  const result = await fn();
  results.push({ id, name, status: result.status, reason: result.reason ?? null });
}
console.log(JSON.stringify(results));
