/**
 * `steepest tune report`: renders a study kept in a database as one HTML file (the study report
 * of writeStudyReport), without running anything.
 */
import { loadStudy } from '../../tune/create_study.js';
import { writeStudyReport } from '../../tune/report/study_report.js';
import { openStorageUrl } from '../../tune/storages/open_url.js';
import { parseFlags, required, UsageError } from './args.js';

const COMMAND = 'steepest tune report';

export async function runReport(args: string[]): Promise<number> {
  const v = parseFlags(COMMAND, args, {
    storage: { type: 'string' }, study: { type: 'string' }, output: { type: 'string', short: 'o' }, title: { type: 'string' }, help: { type: 'boolean', short: 'h' },
  });
  if (v.help) {
    process.stdout.write('usage: steepest tune report --storage URL --study NAME -o study.html [--title TEXT]\n');
    return 0;
  }
  const url = required(COMMAND, v, 'storage');
  const studyName = required(COMMAND, v, 'study');
  const output = required(COMMAND, v, 'output');
  const storage = await openStorageUrl(COMMAND, url);
  try {
    const names = (await storage.getAllStudies()).map((s) => s.studyName);
    if (!names.includes(studyName)) {
      throw new UsageError(`${COMMAND}: no study named '${studyName}' in ${url.replace(/:[^:@/]*@/, ':***@')}; its studies: ${names.length ? names.map((n) => `'${n}'`).join(', ') : '(none)'}`);
    }
    const study = await loadStudy({ storage, studyName });
    writeStudyReport(study, output, typeof v.title === 'string' ? { title: v.title } : {});
    process.stdout.write(`${COMMAND}: ${study.trials.length} trials of '${studyName}' written to ${output}\n`);
    return 0;
  } finally {
    await storage.close?.();
  }
}
