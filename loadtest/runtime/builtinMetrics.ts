/** The built-in metrics this runtime emits (a subset of k6's, same names, types and units). */
import type { MetricRegistry } from './metricRegistry.js';

export function defineBuiltinMetrics(r: MetricRegistry): void {
  r.define('checks', 'rate');
  r.define('data_sent', 'counter', 'data');
  r.define('data_received', 'counter', 'data');
  r.define('iterations', 'counter');
  r.define('iteration_duration', 'trend', 'time');
  r.define('vus', 'gauge');
  r.define('vus_max', 'gauge');
  r.define('http_reqs', 'counter');
  r.define('http_req_duration', 'trend', 'time');
  r.define('http_req_waiting', 'trend', 'time');
  r.define('http_req_failed', 'rate');
  r.define('ws_sessions', 'counter');
  r.define('ws_connecting', 'trend', 'time');
  r.define('ws_session_duration', 'trend', 'time');
  r.define('ws_msgs_sent', 'counter');
  r.define('ws_msgs_received', 'counter');
}
