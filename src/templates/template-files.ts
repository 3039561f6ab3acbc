import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DulyError } from '../domain/errors.ts';
import { type Labels, parseLabels } from './labels.ts';
import { SUBJECT_END_MARK } from './template-scope.ts';

/** One message template: `Subject: …` on its first line, then the plain-text body. */
export interface TemplateFile {
  file: string;
  /** The whole file, with SUBJECT_END_MARK where the subject line ends. */
  source: string;
}

/** What one locale folder (`en/`, `fr-ca/`) holds. */
export interface LocaleFolder {
  templates: Map<string, TemplateFile>;
  /** `_name.liquid` files, for `{% include '_name' %}`. */
  partials: Map<string, string>;
  labels: Partial<Labels>;
}

const LOCALE_DIR = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i;

/** Reads every locale folder under `root`; folder names are matched without regard to case. */
export function readTemplateFolders(root: string): Map<string, LocaleFolder> {
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new DulyError('invalid_config', 'templates folder not found; check the path', { file: root });
  }
  const folders = new Map<string, LocaleFolder>();
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory() || !LOCALE_DIR.test(entry.name)) continue;
    folders.set(entry.name.toLowerCase(), readLocaleFolder(join(root, entry.name)));
  }
  return folders;
}

function readLocaleFolder(dir: string): LocaleFolder {
  const folder: LocaleFolder = { templates: new Map(), partials: new Map(), labels: {} };
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name);
    if (name === 'labels.yaml') {
      folder.labels = parseLabels(readFileSync(file, 'utf8'), file);
    } else if (name.endsWith('.liquid')) {
      const source = readFileSync(file, 'utf8')
        .replace(/^\uFEFF/, '')
        .replace(/\r\n?/g, '\n');
      const base = name.slice(0, -'.liquid'.length);
      if (base.startsWith('_')) folder.partials.set(base, source);
      else folder.templates.set(base, { file, source: markSubjectEnd(source, file) });
    }
  }
  return folder;
}

/**
 * Checks that the file starts with its `Subject:` line and marks where that line ends, so subject and
 * body render in one pass and Liquid's line numbers still match the file.
 */
export function markSubjectEnd(source: string, file: string): string {
  const match = /^\s*subject:[^\n]*/i.exec(source);
  if (!match) {
    throw new DulyError('invalid_config', 'a template must start with a "Subject: …" line', {
      file,
      line: 1,
    });
  }
  return `${match[0]}${SUBJECT_END_MARK}${source.slice(match[0].length)}`;
}

/** Folders from `override` replace or add files of `base`, file by file. */
export function mergeFolders(base: Map<string, LocaleFolder>, override: Map<string, LocaleFolder>): void {
  for (const [locale, folder] of override) {
    const target = base.get(locale);
    if (!target) {
      base.set(locale, folder);
      continue;
    }
    for (const [name, template] of folder.templates) target.templates.set(name, template);
    for (const [name, partial] of folder.partials) target.partials.set(name, partial);
    target.labels = { ...target.labels, ...folder.labels };
  }
}
