/** Jailbreaks: persona hand-overs (DAN and kin), "no restrictions" framing, dual-response formats; scored, not single words. */
import { words, type Family } from './types.js';

export const jailbreak: Family = {
  type: 'jailbreak',
  tags: {
    // Names that only jailbreaks use; plain first names (Dan, Kevin) would flag ordinary stories.
    PERSONA_NAME: words('evil ?bot', 'better ?dan', 'anti-?gpt', 'chaos ?gpt', 'mongo tom', 'jailbroken', 'jailbreak',
      'unfiltered ai', 'evil confidant', 'developer mode (enabled|output|activated)', 'opposite mode', 'dan mode', 'dan \\d{1,2}(\\.\\d)?',
      'do anything now', 'stan mode', 'machiavellian', 'ucar', 'alphabreak', 'dude mode', 'aim mode'),
    NO_LIMITS: words('do anything now', 'can do anything', 'no (ethical|moral)( or (ethical|moral))? (guidelines|restrictions|principles|boundaries|limits)',
      'without (any )?(restrictions|limitations|filters?|censorship|rules|ethics|morals)', 'no (restrictions|limitations|filters?|censorship|rules|limits)',
      'free from (all |the )?(typical )?(confines|restrictions|rules|constraints)', 'broken free', 'break free',
      'not bound by', "(doesn'?t|does not|don'?t|do not|never) (care|follow|abide|adhere|comply)",
      'unrestricted', 'uncensored', 'unfiltered', 'amoral', "(never|won'?t|cannot|can'?t|will not|must not) (refuse|decline|say no|deny)",
      'whatever (the )?(user|i|they) (asks?|wants?|requests?)', 'ignore (all )?(the )?(rules|ethics|morals|guidelines)'),
    WEAK_LIMITS: words('unethical', 'immoral', 'illegal', 'always (answer|respond|comply)', 'no matter (how|what)',
      'regardless of', 'any (request|question|prompt)', 'even if (it|they)', 'morally', 'ethically', 'offensive'),
    POLICY: words('openai', 'content polic(y|ies)', 'usage polic(y|ies)', 'guidelines', 'safety (guidelines|filters?|protocols|measures)',
      'ethical (guidelines|principles|constraints)', 'programming', 'restrictions', 'censorship', 'filters?', 'policies',
      'chatgpt', 'language model', 'as an ai'),
    ROLE_SETUP: words('pretend( to be| you are)?', 'act as', 'act like', 'acting as', 'role ?play(ing)?( as)?', 'play the (role|part) of',
      'stay in character', 'in character', 'you are going to (act|be|pretend|play)', 'you will (now )?(be|act|play|respond|answer|roleplay)',
      'from now on', 'respond as', 'answer as', 'transform into', 'you are now', 'simulate', 'simulation', 'two (responses|answers|paragraphs)',
      'both (responses|answers)', 'no longer (chatgpt|an ai|bound|restricted|confined)', 'you (are|will be) free'),
    FICTION: words('hypothetical(ly)?', 'imagine', 'fictional', 'fiction', 'story', 'game', 'novel', 'character', 'persona', 'token', 'tokens'),
    DUAL: ['\\[(\\x81 ?)?(classic|jailbreak|normal|developer mode|dan|gpt|chatgpt)( output)?\\]', '\\((\\x81 ?)?(normal|developer mode) output\\)'],
    HARM: words('weapons?', 'drugs', 'hack(ing)?', 'malware', 'explicit', 'harmful', 'swear(ing)?', 'profanity', 'nsfw', 'racist',
      'sexual', 'bombs?', 'explosives?', 'nerve agents?', 'synthesi[sz]e', 'methamphetamine', 'meth', 'keylogger', 'ransomware',
      'launder', 'steal(ing)?', 'without getting caught', 'untraceable', 'poison'),
  },
  rules: [
    { id: 'jb.dan', seq: ['PERSONA_NAME', 'NO_LIMITS'], within: 200, severity: 'high', description: 'jailbreak persona with no-limits framing' },
    { id: 'jb.unbound', seq: ['NO_LIMITS', 'POLICY'], within: 60, severity: 'medium', description: 'asks to act outside the model\'s policies' },
    { id: 'jb.dual', seq: ['DUAL'], severity: 'medium', description: 'dual-response jailbreak format' },
    { id: 'jb.role-no-limits', seq: ['ROLE_SETUP', 'NO_LIMITS'], within: 300, severity: 'high', description: 'role-play without limits' },
    { id: 'jb.role-harm', seq: ['ROLE_SETUP', 'HARM'], within: 200, severity: 'medium', description: 'role-play toward harmful content' },
  ],
  score: {
    id: 'jb.score',
    // Weight per distinct pattern of a tag, each tag capped at three times its weight.
    weights: { PERSONA_NAME: 3, NO_LIMITS: 2, POLICY: 1, ROLE_SETUP: 1.5, FICTION: 0.5, DUAL: 3, HARM: 0.5, WEAK_LIMITS: 0.5 },
    medium: 5,
    high: 8,
    description: 'role-play jailbreak (persona, no-limits framing, policy talk)',
  },
};
