// Liquid, as Studio renders widget properties: {{trigger.call.From}}, {{widgets.x.parsed.y}}.
import { Liquid } from 'liquidjs';

const liquid = new Liquid({ cache: true, strictFilters: false, strictVariables: false });

export async function render(template: unknown, context: object): Promise<string> {
  if (template === undefined || template === null) return '';
  if (typeof template !== 'string') return String(template);
  if (!template.includes('{{') && !template.includes('{%')) return template;
  return String(await liquid.parseAndRender(template, context));
}
