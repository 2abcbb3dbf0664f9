/** Shapes of the readable pattern source: tags (named pattern lists) and the rules that combine tag hits. */
import type { Severity, ThreatType } from '../threats.js';

/** Fires when hits of `seq` occur in order, each starting within `within` characters of the previous one's end. */
export interface SequenceRule {
  id: string;
  seq: string[];
  within?: number;
  severity: Severity;
  description: string;
  /** Name of a confirmation in engine/detectors/confirm.ts that must accept the last hit. */
  confirm?: string;
  /** Consecutive hits may overlap (a quote break-out "' or" and a tautology "or 1=1" share "or"). Default: no. */
  overlap?: boolean;
}

/** Fires when the weights of distinct tags present add up to a threshold (long role-play jailbreaks). */
export interface ScoreRule {
  id: string;
  weights: Record<string, number>;
  medium: number;
  high: number;
  /** Tags of which at least one must be present: the signal that makes the rest suspicious (concealment, stealth). */
  requires?: string[];
  /** Tags counted once however many of their patterns are present (required tags always are). */
  once?: string[];
  /** Count only hits within this many characters either side of a hit of a required tag (default: the whole text). */
  window?: number;
  /** Tags whose negated hits do not count ("never ask for their password"). */
  negatable?: string[];
  /** Name of a confirmation (engine/detectors/confirm*.ts) a required tag's hit must pass to be a centre. */
  centreConfirm?: string;
  description: string;
}

export interface Family {
  type: ThreatType;
  tags: Record<string, string[]>;
  /**
   * Tags in scripts the normalized stream folds to one placeholder byte (Chinese, Japanese, Korean, Arabic, Hindi):
   * literal strings matched byte for byte on the raw input by a second, small automaton, run only on texts with
   * letters of such scripts. Rules use them like any tag.
   */
  native?: Record<string, string[]>;
  rules: SequenceRule[];
  scores?: ScoreRule[];
}

/**
 * Whole words or phrases: a word boundary is added at each end that is a word character. An end that is punctuation
 * or a class ("sleep ?\\(", "@@version", "order by \\d") gets none: a boundary after "(" would wrongly demand a
 * non-word byte ("sleep(5"), one after \\d would stop "order by 28".
 */
export function words(...list: string[]): string[] {
  return list.map((w) => {
    const head = w.replace(/^[(]+/, '');
    const tail = w.replace(/[)?]+$/, '');
    const wordStart = /^[a-z0-9_[\u0400-\u04ff]/i.test(head) || head.startsWith('\\w') || head.startsWith('\\d');
    const last = tail.slice(-2);
    // A trailing \d may be the first of several digits ("order by 28"): no boundary after it.
    const wordEnd = /[a-z0-9_\]\u0400-\u04ff]$/i.test(tail) && !/\\.$/.test(last);
    return `${wordStart ? '\\b' : ''}${w}${wordEnd ? '\\b' : ''}`;
  });
}
