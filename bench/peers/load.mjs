// Drives one server with autocannon for bench/bench_api.py: a warm-up run, then the
// measured run; prints both summaries as one JSON object on stdout.
//
//   node load.mjs config.json
//
// config: { url, body, headers, connections, warmup, duration, timeout } (seconds).
import { readFileSync } from 'node:fs'
import autocannon from 'autocannon'

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'))

// A GraphQL error comes back with status 200, so the status alone would count it
// as a success; any "errors" key in the body makes the response a mismatch.
// (Inside JSON strings a quote is escaped, so the needle only matches a key.)
const hasNoErrors = (body) => !body.includes('"errors"')

function run (duration) {
  return autocannon({
    url: config.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...(config.headers || {}) },
    body: config.body,
    connections: config.connections,
    duration,
    timeout: config.timeout,
    verifyBody: hasNoErrors
  })
}

function summary (r) {
  return {
    requests: r.requests.total,
    rps: r.requests.average,
    duration: r.duration,
    latency: {
      mean: r.latency.mean,
      p50: r.latency.p50,
      p90: r.latency.p90,
      p99: r.latency.p99,
      max: r.latency.max
    },
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    mismatches: r.mismatches,
    statusCodes: r.statusCodeStats
  }
}

const warmup = config.warmup > 0 ? summary(await run(config.warmup)) : null
const measured = summary(await run(config.duration))
process.stdout.write(JSON.stringify({ warmup, measured }) + '\n')
