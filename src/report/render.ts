import type { Report } from './report';
import { renderHuman } from './human';
import { renderJunit } from './junit';
import { renderTap } from './tap';
import { renderPrometheus } from './prometheus';

export const FORMATS = ['human', 'json', 'junit', 'tap', 'prometheus'] as const;
export type Format = (typeof FORMATS)[number];

export function renderReport(report: Report, format: Format, colour: boolean): string {
  switch (format) {
    case 'human':
      return renderHuman(report, colour);
    case 'json':
      return JSON.stringify(report, null, 2) + '\n';
    case 'junit':
      return renderJunit(report);
    case 'tap':
      return renderTap(report);
    case 'prometheus':
      return renderPrometheus(report);
  }
}
