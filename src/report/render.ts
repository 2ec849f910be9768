import type { Report } from './report';
import { renderHuman } from './human';
import { PLAIN, type HumanStyle } from './human-style';
import { renderJunit } from './junit';
import { renderTap } from './tap';
import { renderPrometheus } from './prometheus';
import { CI_FORMATS, renderCiAnnotations } from './ci-annotations';

export const FORMATS = ['human', 'json', 'junit', 'tap', 'prometheus', ...CI_FORMATS] as const;
export type Format = (typeof FORMATS)[number];

/** `style` shapes the human format only. */
export function renderReport(report: Report, format: Format, style: HumanStyle = PLAIN): string {
  switch (format) {
    case 'human':
      return renderHuman(report, style);
    case 'json':
      return JSON.stringify(report, null, 2) + '\n';
    case 'junit':
      return renderJunit(report);
    case 'tap':
      return renderTap(report);
    case 'prometheus':
      return renderPrometheus(report);
    case 'github':
    case 'azure-pipelines':
      return renderCiAnnotations(report, format);
  }
}
