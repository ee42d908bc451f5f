/** ARM templates judged by the live-audit rules; the scanner core picks up TEXT_HANDLERS (shared/scan/plugins.ts). */
import { armTemplateHandler } from './handler';

export {
  armTemplateHandler, armTemplateRules, createArmTemplateHandler, looksLikeTemplate, MAX_TEMPLATE_CHARS, parametersFileName, scanArmTemplate,
  type ArmTemplateConfig, type ScanInput, type TextScanResult,
} from './handler';

export const TEXT_HANDLERS = [armTemplateHandler];
