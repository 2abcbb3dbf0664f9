/** Jailbreaks: persona hand-overs (DAN and kin), "no restrictions" framing, dual-response formats; scored, not single words. */
import { words, type Family } from './types.js';

export const jailbreak: Family = {
  type: 'jailbreak',
  tags: {
    PERSONA_NAME: words('dan', 'stan', 'dude', 'aim', 'evil ?bot', 'better ?dan', 'anti-?gpt', 'dev mode', 'chaos ?gpt',
      'mongo tom', 'jailbroken', 'jailbreak', 'unfiltered ai', 'evil confidant', 'developer mode', 'god mode',
      'opposite mode', 'dan mode', 'niccolo', 'machiavelli(an)?', 'kevin', 'apophis', 'omega', 'ucar', 'alphabreak'),
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
    ROLEPLAY: words('pretend', 'act as', 'acting as', 'role ?play', 'roleplay', 'simulate', 'in character',
      'stay in character', 'character', 'persona', 'you are going to', 'you will (be|act|play|respond|answer)',
      'from now on', 'hypothetical(ly)?', 'imagine', 'fictional', 'story', 'game', 'respond as', 'answer as',
      'two (responses|answers|paragraphs)', 'both (responses|answers)', 'jailbreak', 'token', 'tokens'),
    DUAL: ['\\[(\\x81 ?)?(classic|jailbreak|normal|developer mode|dan|gpt|chatgpt)( output)?\\]', '\\((\\x81 ?)?(normal|developer mode) output\\)',
      '\\b(gpt|chatgpt|dan|aim|normal|classic):'],
    HARM: words('weapons?', 'drugs', 'hack(ing)?', 'malware', 'explicit', 'offensive', 'harmful', 'dangerous',
      'violence', 'violent', 'swear(ing)?', 'profanity', 'nsfw', 'racist', 'sexual'),
  },
  rules: [
    { id: 'jb.dan', seq: ['PERSONA_NAME', 'NO_LIMITS'], within: 200, severity: 'high', description: 'jailbreak persona with no-limits framing' },
    { id: 'jb.unbound', seq: ['NO_LIMITS', 'POLICY'], within: 60, severity: 'medium', description: 'asks to act outside the model\'s policies' },
    { id: 'jb.dual', seq: ['DUAL'], severity: 'medium', description: 'dual-response jailbreak format' },
  ],
  score: {
    id: 'jb.score',
    // Weight per distinct pattern of a tag, each tag capped at three times its weight.
    weights: { PERSONA_NAME: 3, NO_LIMITS: 2, POLICY: 1, ROLEPLAY: 1, DUAL: 3, HARM: 0.5, WEAK_LIMITS: 0.5 },
    medium: 5,
    high: 8,
    description: 'role-play jailbreak (persona, no-limits framing, policy talk)',
  },
};
