// JSON Schema (draft 2020-12) of the report; `batch-preflight schema` prints it.
import { CATEGORIES, FEATURES, STATUSES } from '../types';
import { SCHEMA_VERSION } from './report';

const nullableString = { type: ['string', 'null'] };
const count = { type: 'integer', minimum: 0 };

export const reportSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://batch-preflight.invalid/schema/report-v2.json',
  title: 'batch-preflight report',
  type: 'object',
  additionalProperties: false,
  required: ['schemaVersion', 'tool', 'startedAt', 'durationMs', 'host', 'requirements', 'deadlineExceeded', 'summary', 'checks'],
  properties: {
    schemaVersion: { const: SCHEMA_VERSION },
    tool: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'version'],
      properties: { name: { type: 'string' }, version: { type: 'string' } },
    },
    startedAt: { type: 'string', format: 'date-time' },
    durationMs: count,
    host: {
      type: 'object',
      additionalProperties: false,
      required: ['hostname', 'os', 'kernel', 'arch', 'mode', 'modeReason', 'root'],
      properties: {
        hostname: { type: 'string' },
        os: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'versionId', 'prettyName'],
          properties: { id: nullableString, versionId: nullableString, prettyName: nullableString },
        },
        kernel: { type: 'string' },
        arch: { type: 'string' },
        mode: { enum: ['start-task', 'image', 'container', 'offline'] },
        modeReason: { type: 'string' },
        root: { type: 'string' },
        inventory: { type: 'object' },
      },
    },
    batch: {
      type: 'object',
      additionalProperties: false,
      properties: { poolId: { type: 'string' }, nodeId: { type: 'string' } },
    },
    requirements: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['feature', 'source'],
        properties: { feature: { enum: [...FEATURES] }, source: { type: 'string' } },
      },
    },
    excluded: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['feature', 'source'],
        properties: { feature: { enum: [...FEATURES] }, source: { type: 'string' } },
      },
    },
    notes: { type: 'array', items: { type: 'string' } },
    deadlineExceeded: { type: 'boolean' },
    summary: {
      type: 'object',
      additionalProperties: false,
      required: ['pass', 'warn', 'fail', 'skip', 'error', 'ok'],
      properties: { pass: count, warn: count, fail: count, skip: count, error: count, ok: { type: 'boolean' } },
    },
    checks: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'title', 'area', 'status', 'message', 'durationMs'],
        properties: {
          id: { type: 'string', pattern: '^[a-z0-9][a-z0-9.-]*$' },
          title: { type: 'string' },
          area: { type: 'string' },
          status: { enum: [...STATUSES] },
          message: { type: 'string' },
          evidence: { type: 'object' },
          remediation: { type: 'string' },
          category: { enum: [...CATEGORIES] },
          retryable: { type: 'boolean' },
          findings: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['status', 'message'],
              properties: {
                status: { enum: ['pass', 'warn', 'fail', 'error'] },
                message: { type: 'string' },
                remediation: { type: 'string' },
                category: { enum: [...CATEGORIES] },
                retryable: { type: 'boolean' },
              },
            },
          },
          skipReason: { type: 'string' },
          attempts: { type: 'integer', minimum: 1 },
          readyAfterMs: count,
          durationMs: count,
        },
        allOf: [
          { if: { properties: { status: { const: 'skip' } } }, then: { required: ['skipReason'] }, else: { required: ['findings'] } },
          { if: { properties: { status: { enum: ['warn', 'fail', 'error'] } } }, then: { required: ['category', 'retryable'] } },
        ],
      },
    },
  },
} as const;
