// Split Based On conditions. Studio compares the rendered input with each condition's rendered
// value; a transition's conditions must all hold; the first matching transition wins.
export type ConditionType =
  | 'equal_to'
  | 'not_equal_to'
  | 'matches_any_of'
  | 'does_not_match_any_of'
  | 'contains'
  | 'does_not_contain'
  | 'starts_with'
  | 'does_not_start_with'
  | 'is_blank'
  | 'is_not_blank'
  | 'regex'
  | 'less_than'
  | 'greater_than';

export const CONDITION_TYPES: readonly ConditionType[] = [
  'equal_to',
  'not_equal_to',
  'matches_any_of',
  'does_not_match_any_of',
  'contains',
  'does_not_contain',
  'starts_with',
  'does_not_start_with',
  'is_blank',
  'is_not_blank',
  'regex',
  'less_than',
  'greater_than',
];

function anyOf(value: string): string[] {
  return value.split(',').map((v) => v.trim());
}

/** Whether `input` satisfies the condition; unknown types throw (the flow then fails). */
export function conditionHolds(type: string, input: string, value: string): boolean {
  switch (type) {
    case 'equal_to':
      return input === value;
    case 'not_equal_to':
      return input !== value;
    case 'matches_any_of':
      return anyOf(value).includes(input);
    case 'does_not_match_any_of':
      return !anyOf(value).includes(input);
    case 'contains':
      return input.includes(value);
    case 'does_not_contain':
      return !input.includes(value);
    case 'starts_with':
      return input.startsWith(value);
    case 'does_not_start_with':
      return !input.startsWith(value);
    case 'is_blank':
      return input.trim() === '';
    case 'is_not_blank':
      return input.trim() !== '';
    case 'regex':
      return new RegExp(value).test(input);
    case 'less_than':
      return Number(input) < Number(value);
    case 'greater_than':
      return Number(input) > Number(value);
    default:
      throw new Error(`the twin does not know the split condition type ${type}`);
  }
}
