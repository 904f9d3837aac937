/** `k6/metrics`: Counter, Gauge, Rate, Trend. Declared in the init context only, as in k6. */
import type { MetricContains, MetricType } from '../metricSinks.js';
import type { VuState } from '../vuServices.js';

export function metricsModule(vu: VuState) {
  const make = (type: MetricType) =>
    class {
      readonly name: string;
      constructor(name: string, isTime?: boolean) {
        if (vu.phase !== 'init') throw new Error(`new ${type}("${name}"): metrics must be declared in the init context`);
        const contains: MetricContains = type === 'trend' && isTime ? 'time' : 'default';
        vu.services.define(name, type, contains);
        this.name = name;
      }
      add(value: number | boolean, tags?: Record<string, string>): boolean {
        if (vu.phase === 'init') throw new Error(`${this.name}.add(): samples cannot be added in the init context`);
        const n = typeof value === 'boolean' ? (value ? 1 : 0) : Number(value);
        if (Number.isNaN(n)) throw new Error(`${this.name}.add(${String(value)}): not a number`);
        vu.services.emit(this.name, type === 'rate' ? (n !== 0 ? 1 : 0) : n, { ...vu.baseTags, ...(tags ?? {}) });
        return true;
      }
    };
  return { Counter: make('counter'), Gauge: make('gauge'), Rate: make('rate'), Trend: make('trend') };
}
