/** Prometheus metrics for the process: HTTP requests and errors now, reminder counts as they land. */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Counts read when /metrics is scraped (things counted elsewhere, such as database statements). */
export interface MetricSources {
  databaseStatements?: () => number;
}

/** The metrics one process exposes at /metrics. */
export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'route' | 'method' | 'status'>;
  httpDuration: Histogram<'route'>;
  errors: Counter<'platform' | 'kind'>;
  remindersPlanned: Counter;
  remindersSent: Counter;
  remindersFailed: Counter;
}

/** Creates a fresh registry (one per app instance, so tests can run several side by side). */
export function createMetrics(sources: MetricSources = {}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'casework_' });
  const statements = sources.databaseStatements;
  if (statements) {
    new Counter({
      name: 'casework_db_statements_total',
      help: 'Statements sent to the database (each a round trip).',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(statements());
      },
    });
  }
  return {
    registry,
    httpRequests: new Counter({
      name: 'casework_http_requests_total',
      help: 'HTTP requests served, by route, method and status code.',
      labelNames: ['route', 'method', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'casework_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by route.',
      labelNames: ['route'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 3, 10],
      registers: [registry],
    }),
    errors: new Counter({
      name: 'casework_errors_total',
      help: 'Unexpected errors, by platform and kind.',
      labelNames: ['platform', 'kind'],
      registers: [registry],
    }),
    remindersPlanned: new Counter({ name: 'casework_reminders_planned_total', help: 'Reminders planned (one per deadline, stage and recipient).', registers: [registry] }),
    remindersSent: new Counter({ name: 'casework_reminders_messages_sent_total', help: 'Reminder messages (digests, escalations, notices) delivered.', registers: [registry] }),
    remindersFailed: new Counter({ name: 'casework_reminders_messages_failed_total', help: 'Reminder messages given up as undeliverable.', registers: [registry] }),
  };
}
